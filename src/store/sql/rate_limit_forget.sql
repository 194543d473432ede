-- Forgets windows that started before $1.
DELETE FROM rate_limits WHERE window_start < $1
