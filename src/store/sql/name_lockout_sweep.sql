-- Forgets names whose failures and lock no longer count.
DELETE FROM name_lockouts WHERE expires_at < $1
