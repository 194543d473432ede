-- Second factors in the users read model: whether an authenticator app is enabled, how many
-- recovery codes are left, how many passkeys are registered (what the profile and the admin user
-- list show), and one row per passkey for the owner's list. Existing rows predate second factors.
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN recovery_codes_left INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN passkeys INTEGER NOT NULL DEFAULT 0;

CREATE TABLE passkeys (
    credential_id TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    last_used_at  TEXT
) STRICT;
CREATE INDEX passkeys_user ON passkeys (user_id, registered_at);
