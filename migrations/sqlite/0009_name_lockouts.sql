-- The lockout state of login names that match no account (issue 14: unknown names must lock
-- exactly like accounts, or the lockout tells which accounts exist). Keyed by the SHA-256 of the
-- normalised name, so names typed by mistake (often passwords) are not kept in clear. Like the
-- rate limits this is operational state: every attempt is also an event in the log.
CREATE TABLE name_lockouts (
    name_hash  TEXT    NOT NULL PRIMARY KEY,
    -- JSON: {"recent": [timestamps], "locked_until": timestamp | null}
    state      TEXT    NOT NULL,
    -- Unix seconds after which the row holds nothing that still counts (swept now and then).
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX name_lockouts_expires ON name_lockouts (expires_at);
