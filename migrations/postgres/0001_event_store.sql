-- Event store (PostgreSQL). The event log is the system of record and the audit trail.
-- `position` is a global, gap-free, commit-ordered number: appenders take the one-row lock on
-- `event_head` (SELECT ... FOR UPDATE) inside their transaction and hold it until commit, so a
-- reader can never see position n+1 before n. `hash` chains every event to its predecessor.
-- Payload and metadata are `text`, not `jsonb` (which reorders keys), so the hashed bytes are
-- exactly the stored bytes.
CREATE TABLE events (
    position       BIGINT NOT NULL UNIQUE CHECK (position >= 1),
    aggregate_type TEXT   NOT NULL,
    aggregate_id   TEXT   NOT NULL,
    sequence       BIGINT NOT NULL CHECK (sequence >= 1),
    event_type     TEXT   NOT NULL,
    event_version  TEXT   NOT NULL,
    payload        TEXT   NOT NULL,
    metadata       TEXT   NOT NULL,
    recorded_at    TEXT   NOT NULL,
    hash           TEXT   NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

CREATE TABLE event_head (
    id       SMALLINT PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL,
    hash     TEXT   NOT NULL
);
INSERT INTO event_head (id, position, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE snapshots (
    aggregate_type   TEXT   NOT NULL,
    aggregate_id     TEXT   NOT NULL,
    last_sequence    BIGINT NOT NULL,
    current_snapshot BIGINT NOT NULL,
    payload          TEXT   NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
);

-- Cross-aggregate uniqueness (email, username), written in the same transaction as the events.
CREATE TABLE unique_claims (
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    PRIMARY KEY (kind, value)
);

-- Per-owner data keys, wrapped by the master key. Deleting a row crypto-shreds the owner's data.
CREATE TABLE data_keys (
    owner_id   TEXT NOT NULL PRIMARY KEY,
    wrapped    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Key check value: a constant sealed under the master key, so a wrong key is refused at start.
CREATE TABLE key_check (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    kcv        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
