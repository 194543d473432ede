-- Event store (embedded SQLite). The event log is the system of record and the audit trail.
-- `position` is a global, gap-free, commit-ordered number assigned under the write lock that
-- `BEGIN IMMEDIATE` takes (SQLite has one writer at a time); `hash` chains every event to its
-- predecessor (`event_head` holds the chain's tip). Payload and metadata are stored as the exact
-- JSON text that was hashed.
CREATE TABLE events (
    position       INTEGER NOT NULL UNIQUE CHECK (position >= 1),
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    event_type     TEXT    NOT NULL,
    event_version  TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
) STRICT;

CREATE TABLE event_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL,
    hash     TEXT    NOT NULL
) STRICT;
INSERT INTO event_head (id, position, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE snapshots (
    aggregate_type   TEXT    NOT NULL,
    aggregate_id     TEXT    NOT NULL,
    last_sequence    INTEGER NOT NULL,
    current_snapshot INTEGER NOT NULL,
    payload          TEXT    NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
) STRICT;

-- Cross-aggregate uniqueness (email, username), written in the same transaction as the events
-- that claim or release a value: the event store alone cannot enforce it.
CREATE TABLE unique_claims (
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) STRICT;

-- Per-owner data keys, wrapped by the master key. Deleting a row crypto-shreds the owner's data.
CREATE TABLE data_keys (
    owner_id   TEXT NOT NULL PRIMARY KEY,
    wrapped    TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- Key check value: a constant sealed under the master key, so a wrong key is refused at start.
CREATE TABLE key_check (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    kcv        TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
