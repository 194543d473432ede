-- Takes a ceremony of a kind: whoever gets the row finishes it; nobody can finish it twice.
DELETE FROM webauthn_ceremonies WHERE id = $1 AND kind = $2 RETURNING user_id, state, expires_at
