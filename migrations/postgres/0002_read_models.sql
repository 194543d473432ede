-- Read models: disposable projections of the event log (`authnode replay` rebuilds them).
-- No unique constraints beyond primary keys: uniqueness is decided on the write side
-- (unique_claims), and a projection must never halt on a constraint the log already obeyed.
CREATE TABLE projection_checkpoints (
    name       TEXT    NOT NULL PRIMARY KEY,
    position   BIGINT  NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE users (
    id                  TEXT    NOT NULL PRIMARY KEY,
    email               TEXT    NOT NULL,
    username            TEXT    NOT NULL,
    display_name        TEXT    NOT NULL,
    role                TEXT    NOT NULL,
    disabled            BIGINT  NOT NULL,
    locked_until        TEXT,
    password_hash       TEXT,
    registration_method TEXT    NOT NULL,
    preferences         TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    last_login_at       TEXT,
    deleted_at          TEXT
);
CREATE INDEX users_email ON users (email);
CREATE INDEX users_username ON users (username);

CREATE TABLE applications (
    id           TEXT    NOT NULL PRIMARY KEY,
    owner_id     TEXT    NOT NULL,
    issuer       TEXT    NOT NULL,
    label        TEXT    NOT NULL,
    otp_type     TEXT    NOT NULL,
    algorithm    TEXT    NOT NULL,
    digits       BIGINT  NOT NULL,
    period       BIGINT  NOT NULL,
    counter      BIGINT  NOT NULL,
    secret       TEXT    NOT NULL,
    notes        TEXT,
    url          TEXT,
    icon         TEXT,
    color        TEXT,
    tags         TEXT    NOT NULL,
    favorite     BIGINT  NOT NULL,
    position     BIGINT  NOT NULL,
    source       TEXT    NOT NULL,
    trashed_at   TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX applications_owner ON applications (owner_id, position);

CREATE TABLE sessions (
    id                 TEXT NOT NULL PRIMARY KEY,
    user_id            TEXT NOT NULL,
    method             TEXT NOT NULL,
    refresh_token_hash TEXT NOT NULL,
    started_at         TEXT NOT NULL,
    refreshed_at       TEXT,
    expires_at         TEXT NOT NULL,
    ip                 TEXT,
    user_agent         TEXT,
    ended_at           TEXT,
    end_reason         TEXT
);
CREATE INDEX sessions_user ON sessions (user_id, started_at);

CREATE TABLE settings (
    id         TEXT NOT NULL PRIMARY KEY,
    document   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per event, shaped for the audit queries (filters + keyset pagination by position).
CREATE TABLE audit_index (
    position        BIGINT NOT NULL PRIMARY KEY,
    recorded_at     TEXT    NOT NULL,
    actor_id        TEXT,
    actor_kind      TEXT    NOT NULL,
    subject_user_id TEXT,
    aggregate_type  TEXT    NOT NULL,
    aggregate_id    TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    outcome         TEXT    NOT NULL,
    ip              TEXT,
    request_id      TEXT
);
CREATE INDEX audit_actor ON audit_index (actor_id, position);
CREATE INDEX audit_subject ON audit_index (subject_user_id, position);
CREATE INDEX audit_aggregate ON audit_index (aggregate_type, aggregate_id, position);
CREATE INDEX audit_event_type ON audit_index (event_type, position);
CREATE INDEX audit_outcome ON audit_index (outcome, position);
CREATE INDEX audit_ip ON audit_index (ip, position);
CREATE INDEX audit_time ON audit_index (recorded_at);

-- Which user an aggregate belongs to (an application's owner), for the audit index's subject.
CREATE TABLE audit_subjects (
    aggregate_id TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL
);
