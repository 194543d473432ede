-- Failures are rare: a partial index finds them; "success" filters walk the primary key, where
-- nearly every row matches. (The audit query writes the outcome as a literal so that the
-- planner can match this predicate.)
DROP INDEX IF EXISTS audit_outcome;
CREATE INDEX audit_failures ON audit_index (position) WHERE outcome = 'failure';

-- Filters on one aggregate use the event log's own primary key (aggregate_type, aggregate_id,
-- sequence), whose order within an aggregate is position order: no copy of it is needed here.
DROP INDEX IF EXISTS audit_aggregate;
-- A replay interrupted by an earlier version may have recorded these for re-creation.
DELETE FROM deferred_indexes WHERE name IN ('audit_outcome', 'audit_aggregate');
