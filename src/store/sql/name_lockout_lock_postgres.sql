-- Reads a name's lockout state, holding its row until the transaction ends.
SELECT state FROM name_lockouts WHERE name_hash = $1 FOR UPDATE
