-- An owner's applications in their order (trash included; the caller filters).
SELECT id, owner_id, issuer, label, otp_type, algorithm, digits, period, counter, secret, notes, url, icon, color,
       tags, favorite, position, trashed_at, created_at, updated_at
FROM applications
WHERE owner_id = $1
ORDER BY position, created_at
