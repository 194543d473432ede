-- One application, only if $2 owns it: another user's application does not exist for the caller.
SELECT id, owner_id, issuer, label, otp_type, algorithm, digits, period, counter, secret, notes, url, icon, color,
       tags, favorite, position, trashed_at, created_at, updated_at
FROM applications
WHERE id = $1 AND owner_id = $2
