-- WebAuthn ceremonies in progress: the server-side state a ceremony's answer is verified against
-- (its challenge), sealed, single use (taken with DELETE … RETURNING), kept in the shared
-- database so that a ceremony may finish on another replica. Operational state, not a read model.
CREATE TABLE webauthn_ceremonies (
    id         TEXT NOT NULL PRIMARY KEY,
    kind       TEXT NOT NULL,
    user_id    TEXT,
    state      TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies (expires_at);
