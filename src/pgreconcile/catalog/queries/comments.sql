-- Comments on the indexes, constraints and policies of managed tables and materialized views
-- (COMMENT ON INDEX / CONSTRAINT / POLICY), only those that have one: the query starts from
-- pg_description, which holds a row per comment, not per object.
SELECT 'index' AS kind, i.indrelid AS relid, ic.relname::pg_catalog.text AS name, d.description
FROM pg_catalog.pg_description AS d
JOIN pg_catalog.pg_class AS ic ON ic.oid = d.objoid
JOIN pg_catalog.pg_index AS i ON i.indexrelid = ic.oid
JOIN pg_catalog.pg_namespace AS n ON n.oid = ic.relnamespace
WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0 AND ic.relkind IN ('i', 'I')
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
UNION ALL
SELECT 'constraint', con.conrelid, con.conname::pg_catalog.text, d.description
FROM pg_catalog.pg_description AS d
JOIN pg_catalog.pg_constraint AS con ON con.oid = d.objoid
JOIN pg_catalog.pg_namespace AS n ON n.oid = con.connamespace
WHERE d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND con.conrelid <> 0
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
UNION ALL
SELECT 'policy', pol.polrelid, pol.polname::pg_catalog.text, d.description
FROM pg_catalog.pg_description AS d
JOIN pg_catalog.pg_policy AS pol ON pol.oid = d.objoid
JOIN pg_catalog.pg_class AS c ON c.oid = pol.polrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY 1, 2, 3
