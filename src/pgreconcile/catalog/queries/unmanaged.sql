-- Objects in the managed schemas of kinds pgreconcile does not manage. They are never changed;
-- plans list them so that nobody mistakes "not mentioned" for "not there". Members of
-- extensions and the row types of tables are not separate objects and are left out.
-- Sequences are managed (queries/sequences.sql).
SELECT kind, schema_name, object_name
FROM (
    SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                          WHEN 'f' THEN 'foreign table'
                          ELSE 'composite type' END AS kind,
           n.nspname AS schema_name, c.relname::pg_catalog.text AS object_name, c.oid AS oid,
           'pg_catalog.pg_class'::pg_catalog.regclass AS classid
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm', 'f', 'c')
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT CASE f.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
           n.nspname,
           f.proname || '(' || pg_catalog.pg_get_function_identity_arguments(f.oid) || ')',
           f.oid, 'pg_catalog.pg_proc'::pg_catalog.regclass
    FROM pg_catalog.pg_proc AS f
    JOIN pg_catalog.pg_namespace AS n ON n.oid = f.pronamespace
    WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT 'trigger', n.nspname, c.relname || '.' || tg.tgname, tg.oid,
           'pg_catalog.pg_trigger'::pg_catalog.regclass
    FROM pg_catalog.pg_trigger AS tg
    JOIN pg_catalog.pg_class AS c ON c.oid = tg.tgrelid
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
    UNION ALL
    SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' ELSE 'multirange type' END,
           n.nspname, t.typname::pg_catalog.text, t.oid, 'pg_catalog.pg_type'::pg_catalog.regclass
    FROM pg_catalog.pg_type AS t
    JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('d', 'r', 'm')
      AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
) AS found
WHERE NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend AS e
    WHERE e.classid = found.classid AND e.objid = found.oid AND e.deptype = 'e'
)
ORDER BY 2, 1, 3
