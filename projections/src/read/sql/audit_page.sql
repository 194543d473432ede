-- A page of the audit index, newest first, joined to the log for metadata and payload.
-- The filters (zero or more `AND <column> = $n`) go where the marker is; the keyset bound and the
-- page size take the last two placeholders.
SELECT a.position, a.recorded_at, a.actor_id, a.actor_kind, a.subject_user_id, a.aggregate_type, a.aggregate_id,
       a.event_type, a.outcome, a.ip, a.request_id, e.metadata, e.payload
FROM audit_index a
JOIN events e ON e.position = a.position
WHERE a.position < $before /*filters*/
ORDER BY a.position DESC
LIMIT $limit
