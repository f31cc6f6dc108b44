-- Installed extensions, the schema each lives in, its version, and the versions an
-- ALTER EXTENSION … UPDATE TO can reach from it (update scripts only go forward: PostgreSQL
-- cannot downgrade an extension), and whether it keeps data of its own (configuration tables
-- registered with pg_extension_config_dump: pg_cron's jobs, PostGIS's spatial_ref_sys), which
-- dropping it loses. plpgsql is part of every database and is never declared, so it is left out.
SELECT e.extname,
       n.nspname,
       e.extrelocatable,
       e.extversion,
       ARRAY(
           SELECT p.target
           FROM pg_catalog.pg_extension_update_paths(e.extname) AS p
           WHERE p.source = e.extversion AND p.path IS NOT NULL
           ORDER BY p.target
       ) AS reachable,
       e.extconfig IS NOT NULL AS keeps_data
FROM pg_catalog.pg_extension AS e
JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
