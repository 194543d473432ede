-- What admitting a request on a session needs: the session's state and its owner's.
SELECT s.user_id, s.ended_at, s.expires_at, u.role, u.disabled, u.deleted_at, u.created_at, u.totp_enabled, u.passkeys
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.id = $1
