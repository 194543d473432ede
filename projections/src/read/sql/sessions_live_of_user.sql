-- A user's sessions that have neither ended nor run out at $2, newest first.
SELECT id, method, started_at, refreshed_at, expires_at, ip, user_agent
FROM sessions
WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2
ORDER BY started_at DESC
