-- The account's password hash (none for accounts without a password).
SELECT password_hash FROM users WHERE id = $1
