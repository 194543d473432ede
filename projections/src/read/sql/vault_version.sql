-- The position of the owner's latest application event (moves with every change to their vault).
SELECT position FROM vault_versions WHERE owner_id = $1
