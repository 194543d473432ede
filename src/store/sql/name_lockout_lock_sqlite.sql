-- Reads a name's lockout state (the transaction already holds SQLite's write lock).
SELECT state FROM name_lockouts WHERE name_hash = $1
