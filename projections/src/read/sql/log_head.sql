-- The position of the last event in the log.
SELECT position FROM event_head WHERE id = 1
