-- Creates an empty lockout row for a name unless one exists.
INSERT INTO name_lockouts (name_hash, state, expires_at) VALUES ($1, '{}', 0)
ON CONFLICT (name_hash) DO NOTHING
