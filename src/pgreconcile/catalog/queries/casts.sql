-- User-defined casts (CREATE CAST; built-in ones are below FirstNormalObjectId, 16384). A cast belongs to no schema: it is kept under the first managed schema
-- among those of its source type, target type and function, else under none (the database's:
-- model/casts.py). Types as format_type() prints them under
-- search_path = pg_catalog; the function by schema, name and argument types.
SELECT used.schema_name,
       pg_catalog.format_type(k.castsource, NULL),
       pg_catalog.format_type(k.casttarget, NULL),
       fn.nspname,
       f.proname::pg_catalog.text,
       ARRAY(SELECT pg_catalog.format_type(a.t, NULL)
             FROM pg_catalog.unnest(f.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, ord)
             ORDER BY a.ord)::pg_catalog.text[],
       k.castmethod,
       k.castcontext,
       pg_catalog.obj_description(k.oid, 'pg_cast')
FROM pg_catalog.pg_cast AS k
LEFT JOIN pg_catalog.pg_proc AS f ON f.oid = k.castfunc
LEFT JOIN pg_catalog.pg_namespace AS fn ON fn.oid = f.pronamespace
LEFT JOIN LATERAL (
    SELECT n.nspname AS schema_name
    FROM (VALUES (1, (SELECT t.typnamespace FROM pg_catalog.pg_type AS t WHERE t.oid = k.castsource)),
                 (2, (SELECT t.typnamespace FROM pg_catalog.pg_type AS t WHERE t.oid = k.casttarget)),
                 (3, f.pronamespace))
         AS u(position, namespace)
    JOIN pg_catalog.pg_namespace AS n ON n.oid = u.namespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    ORDER BY u.position
    LIMIT 1
) AS used ON true
WHERE k.oid >= 16384
  -- An extension's casts, and those a type made itself (a range type's casts to its multirange,
  -- PostgreSQL 14+: internal dependencies), are not declared objects.
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND e.objid = k.oid AND e.deptype IN ('e', 'i')
  )
ORDER BY 2, 3
