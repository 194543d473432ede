-- Accounts whose email, user name or display name contains $1 (a LIKE pattern), oldest first.
SELECT id, email, username, display_name, role, disabled, locked_until, preferences, created_at, updated_at, last_login_at,
       totp_enabled, recovery_codes_left, passkeys
FROM users
WHERE deleted_at IS NULL AND (LOWER(email) LIKE $1 OR LOWER(username) LIKE $1 OR LOWER(display_name) LIKE $1)
ORDER BY created_at
LIMIT $2
