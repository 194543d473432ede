-- Only what computing codes needs, for the applications not in the trash, in the owner's order.
SELECT id, otp_type, algorithm, digits, period, counter, secret
FROM applications
WHERE owner_id = $1 AND trashed_at IS NULL
ORDER BY position, created_at
