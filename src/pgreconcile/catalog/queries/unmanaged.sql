-- Objects in the managed schemas of kinds pgreconcile does not manage. They are never changed;
-- plans list them so that nobody mistakes "not mentioned" for "not there". Members of
-- extensions, sequences owned by a column (serial, identity) and the row types of tables are
-- not separate objects and are left out. (Domains, composite and range types are managed, and a
-- range's multirange type comes with it; sequences are managed: queries/sequences.sql.)
SELECT kind, schema_name, object_name
FROM (
    SELECT 'foreign table' AS kind,
           n.nspname AS schema_name, c.relname::pg_catalog.text AS object_name, c.oid AS oid,
           'pg_catalog.pg_class'::pg_catalog.regclass AS classid
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind = 'f'
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    -- Functions, procedures (functions.sql) and ordinary aggregates (aggregates.sql) are managed;
    -- C and internal functions, window functions and other aggregates are not.
    SELECT CASE f.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
                          WHEN 'w' THEN 'window function' ELSE 'function' END,
           n.nspname,
           f.proname || '(' || pg_catalog.pg_get_function_identity_arguments(f.oid) || ')',
           f.oid, 'pg_catalog.pg_proc'::pg_catalog.regclass
    FROM pg_catalog.pg_proc AS f
    JOIN pg_catalog.pg_namespace AS n ON n.oid = f.pronamespace
    JOIN pg_catalog.pg_language AS l ON l.oid = f.prolang
    LEFT JOIN pg_catalog.pg_aggregate AS ag ON ag.aggfnoid = f.oid
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
      AND (f.prokind = 'w' OR (f.prokind <> 'a' AND l.lanname IN ('c', 'internal'))
           OR (f.prokind = 'a' AND (ag.aggkind <> 'n' OR ag.aggmtransfn <> 0 OR ag.aggsortop <> 0)))
      -- [constraints-types] the constructors of a range type are part of it
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend AS i
          WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = f.oid AND i.deptype = 'i')
) AS found
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = found.classid AND e.objid = found.oid AND e.deptype = 'e'
)
ORDER BY 2, 1, 3
