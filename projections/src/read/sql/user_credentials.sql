-- What a password sign-in needs about the account named by $1 (email or user name, lower-case).
SELECT id, password_hash, locked_until, totp_enabled, recovery_codes_left, passkeys
FROM users
WHERE (email = $1 OR username = $1) AND deleted_at IS NULL
