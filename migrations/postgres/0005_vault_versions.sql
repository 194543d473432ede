-- Per-owner vault version: the global position of the owner's latest application event, kept by
-- the applications projection. The codes endpoint compares it (one primary-key read) to decide
-- whether an owner's computed codes are still current, on every replica.
CREATE TABLE vault_versions (
    owner_id TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
