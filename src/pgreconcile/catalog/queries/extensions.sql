-- Installed extensions, the schema each lives in, its version, and the versions an
-- ALTER EXTENSION … UPDATE TO can reach from it (update scripts only go forward: PostgreSQL
-- cannot downgrade an extension), and whether it keeps data of its own (configuration tables
-- registered with pg_extension_config_dump: pg_cron's jobs, PostGIS's spatial_ref_sys), which
-- dropping it loses; its comment and the one its control file gives it (what CREATE EXTENSION
-- sets: read per extension, a read of the control files, so only where there are extensions). plpgsql is part of every database and is never declared, so it is left out.
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
       e.extconfig IS NOT NULL AS keeps_data,
       pg_catalog.obj_description(e.oid, 'pg_extension') AS comment,
       (SELECT a.comment FROM pg_catalog.pg_available_extensions AS a WHERE a.name = e.extname) AS own_comment
FROM pg_catalog.pg_extension AS e
JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname
