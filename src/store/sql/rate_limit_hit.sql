-- Counts one hit on a key in the current window and returns the window's count.
INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
RETURNING hits
