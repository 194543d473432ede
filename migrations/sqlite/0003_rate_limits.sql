-- Fixed-window request counters shared by every replica (rate limits on the auth endpoints).
CREATE TABLE rate_limits (
    key          TEXT    NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) STRICT;
