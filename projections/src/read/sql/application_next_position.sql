-- The position after the owner's last application (0 for an empty vault).
SELECT COALESCE(MAX(position), -1) + 1 AS next_position FROM applications WHERE owner_id = $1
