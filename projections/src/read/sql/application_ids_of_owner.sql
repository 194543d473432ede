-- The ids of an owner's applications (trash included).
SELECT id FROM applications WHERE owner_id = $1
