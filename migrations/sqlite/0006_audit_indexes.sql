-- Failures are rare: a partial index finds them; "success" filters walk the primary key, where
-- nearly every row matches. (The audit query writes the outcome as a literal so that the
-- planner can match this predicate.)
DROP INDEX audit_outcome;
CREATE INDEX audit_failures ON audit_index (position) WHERE outcome = 'failure';
