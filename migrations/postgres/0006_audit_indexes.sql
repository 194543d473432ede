-- Identifier-like read-model columns compare byte-wise (COLLATE "C"). Their values are ASCII
-- (UUIDs, event type names, fixed-width UTC times, IP addresses, request ids), so every order is
-- unchanged; but PostgreSQL then compares with memcmp and abbreviated sort keys instead of the
-- database locale's strcoll, which makes index builds (every `replay` rebuilds them all) and
-- key lookups several times cheaper. User-facing text (emails, names, labels) keeps the locale.
-- SQLite compares bytes (BINARY) already.
ALTER TABLE audit_index
    ALTER COLUMN recorded_at     TYPE TEXT COLLATE "C",
    ALTER COLUMN actor_id        TYPE TEXT COLLATE "C",
    ALTER COLUMN actor_kind      TYPE TEXT COLLATE "C",
    ALTER COLUMN subject_user_id TYPE TEXT COLLATE "C",
    ALTER COLUMN aggregate_type  TYPE TEXT COLLATE "C",
    ALTER COLUMN aggregate_id    TYPE TEXT COLLATE "C",
    ALTER COLUMN event_type      TYPE TEXT COLLATE "C",
    ALTER COLUMN outcome         TYPE TEXT COLLATE "C",
    ALTER COLUMN ip              TYPE TEXT COLLATE "C",
    ALTER COLUMN request_id      TYPE TEXT COLLATE "C";
ALTER TABLE audit_subjects
    ALTER COLUMN aggregate_id TYPE TEXT COLLATE "C",
    ALTER COLUMN user_id      TYPE TEXT COLLATE "C";
ALTER TABLE applications
    ALTER COLUMN id       TYPE TEXT COLLATE "C",
    ALTER COLUMN owner_id TYPE TEXT COLLATE "C";
ALTER TABLE vault_versions
    ALTER COLUMN owner_id TYPE TEXT COLLATE "C";
ALTER TABLE sessions
    ALTER COLUMN id         TYPE TEXT COLLATE "C",
    ALTER COLUMN user_id    TYPE TEXT COLLATE "C",
    ALTER COLUMN started_at TYPE TEXT COLLATE "C";
ALTER TABLE users
    ALTER COLUMN id TYPE TEXT COLLATE "C";

-- Failures are rare: a partial index finds them; "success" filters walk the primary key, where
-- nearly every row matches. (The audit query writes the outcome as a literal so that the
-- planner can match this predicate.)
DROP INDEX IF EXISTS audit_outcome;
CREATE INDEX audit_failures ON audit_index (position) WHERE outcome = 'failure';
-- The audit index is append-only and filled in position order, so time follows the physical
-- row order: a BRIN index answers time ranges at a sliver of a B-tree's size and build cost.
DROP INDEX IF EXISTS audit_time;
CREATE INDEX audit_time ON audit_index USING brin (recorded_at);

-- Filters on one aggregate use the event log's own primary key (aggregate_type, aggregate_id,
-- sequence), whose order within an aggregate is position order: no copy of it is needed here.
DROP INDEX IF EXISTS audit_aggregate;
-- A replay interrupted by an earlier version may have recorded these for re-creation.
DELETE FROM deferred_indexes WHERE name IN ('audit_outcome', 'audit_aggregate', 'audit_time');
