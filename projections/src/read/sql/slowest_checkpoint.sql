-- The position the slowest projection has reached.
SELECT MIN(position) AS position FROM projection_checkpoints
