-- Domains of the managed schemas with their CHECK constraints (by name), one row per domain.
-- The collation is given only when it differs from the base type's; names of collations outside
-- pg_catalog are schema-qualified. Domains that belong to an extension are left out.
SELECT n.nspname AS schema_name,
       t.typname::pg_catalog.text AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typnotnull,
       t.typdefault,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN
           CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::pg_catalog.text
                ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       ARRAY(SELECT c.conname::pg_catalog.text FROM pg_catalog.pg_constraint AS c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_names,
       ARRAY(SELECT pg_catalog.pg_get_expr(c.conbin, 0) FROM pg_catalog.pg_constraint AS c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_exprs,
       ARRAY(SELECT c.convalidated FROM pg_catalog.pg_constraint AS c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_validated,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment,
       -- PostgreSQL 17+: the NOT NULL is a named constraint (no such row before 17)
       (SELECT c.conname::pg_catalog.text FROM pg_catalog.pg_constraint AS c
        WHERE c.contypid = t.oid AND c.contype = 'n') AS not_null_name
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type AS bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation AS co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace AS cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid AND e.deptype = 'e')
ORDER BY 1, 2
