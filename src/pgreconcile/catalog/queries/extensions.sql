-- Installed extensions and the schema each lives in. plpgsql is part of every database and is
-- never declared, so it is left out.
SELECT e.extname,
       n.nspname,
       e.extrelocatable
FROM pg_catalog.pg_extension AS e
JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
