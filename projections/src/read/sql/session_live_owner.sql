-- The owner of a session that has not ended.
SELECT user_id FROM sessions WHERE id = $1 AND ended_at IS NULL
