-- Event triggers (database-wide), with their function as a (schema, name) pair; members of
-- extensions are left out. The diff manages those declared and those whose function lives in a
-- managed schema.
SELECT e.evtname::pg_catalog.text,
       e.evtevent::pg_catalog.text,
       fn.nspname,
       f.proname::pg_catalog.text,
       COALESCE(e.evttags, '{}'::pg_catalog.text[]),
       e.evtenabled,
       pg_catalog.obj_description(e.oid, 'pg_event_trigger') AS comment,
       pg_catalog.pg_get_userbyid(e.evtowner) AS owner
FROM pg_catalog.pg_event_trigger AS e
JOIN pg_catalog.pg_proc AS f ON f.oid = e.evtfoid
JOIN pg_catalog.pg_namespace AS fn ON fn.oid = f.pronamespace
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS d
    WHERE d.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND d.objid = e.oid AND d.deptype = 'e'
)
ORDER BY 1
