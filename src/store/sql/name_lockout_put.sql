-- Stores a name's new lockout state.
UPDATE name_lockouts SET state = $2, expires_at = $3 WHERE name_hash = $1
