-- A user's passkeys, oldest first (never their credentials: only the write side keeps those).
SELECT credential_id, name, registered_at, last_used_at
FROM passkeys
WHERE user_id = $1
ORDER BY registered_at, credential_id
