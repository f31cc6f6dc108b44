-- Every user schema in the database: what `reconcile` could manage. System schemas and the
-- per-session temporary ones are left out.
SELECT n.nspname
FROM pg_catalog.pg_namespace AS n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_'
ORDER BY n.nspname
