-- Secondary read-model indexes dropped for a bulk rebuild (`authnode replay`) and not yet
-- re-created: building an index once after loading is far cheaper than maintaining it per row.
-- Rows are written in the same transaction as the DROP, so a rebuild that dies midway leaves a
-- record here and the next start re-creates the indexes.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    definition TEXT NOT NULL
);
