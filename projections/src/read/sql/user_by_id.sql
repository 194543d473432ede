-- One account that is not deleted, as the API shows it (no password hash).
SELECT id, email, username, display_name, role, disabled, locked_until, preferences, created_at, updated_at, last_login_at,
       totp_enabled, recovery_codes_left, passkeys
FROM users
WHERE id = $1 AND deleted_at IS NULL
