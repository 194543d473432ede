-- Forgets ceremonies that ran out before $1 (stored time text).
DELETE FROM webauthn_ceremonies WHERE expires_at < $1
