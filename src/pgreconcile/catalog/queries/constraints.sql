-- Primary keys, uniques, foreign keys, checks and exclusion constraints of the managed tables.
-- `definition` (pg_get_constraintdef) is read only for uniques (NULLS NOT DISTINCT, which has
-- no catalog column before PostgreSQL 15) and exclusion constraints (their whole body).
-- Column lists are resolved to names here, keeping conkey / confkey order (which is the
-- declared order, not attnum order). Each name is a scalar subquery, i.e. one index probe on
-- pg_attribute per key column; a join there gets hashed over all of pg_attribute instead,
-- which is twice as slow on a large catalog. Constraints that are not local (inherited from a parent
-- table) belong to the parent and are skipped ([inheritance] `inherited`: a local one a parent
-- has too, merged into it); NOT NULL ('n', PostgreSQL 18+) and trigger
-- constraints are outside the model. conenforced (NOT ENFORCED) is new in PostgreSQL 18:
-- conperiod (WITHOUT OVERLAPS / PERIOD, temporal keys) too: constraints_pre18.sql reads every
-- constraint as enforced and none as temporal.
SELECT con.conrelid,
       con.conname,
       con.contype,
       ARRAY(
           SELECT (SELECT a.attname::pg_catalog.text
                   FROM pg_catalog.pg_attribute AS a
                   WHERE a.attrelid = con.conrelid AND a.attnum = k.attnum)
           FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           ORDER BY k.ord
       ) AS columns,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       ARRAY(
           SELECT (SELECT a.attname::pg_catalog.text
                   FROM pg_catalog.pg_attribute AS a
                   WHERE a.attrelid = con.confrelid AND a.attnum = k.attnum)
           FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           ORDER BY k.ord
       ) AS ref_columns,
       con.confdeltype,
       con.confupdtype,
       con.condeferrable,
       con.condeferred,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END AS check_expr,
       con.convalidated,
       con.connoinherit,
       CASE WHEN con.contype IN ('u', 'x') THEN pg_catalog.pg_get_constraintdef(con.oid) END AS definition,
       con.coninhcount > 0 AS inherited,
       -- The index behind a primary key or unique: its INCLUDE columns (past the key ones) and
       -- its storage parameters.
       CASE WHEN con.contype IN ('p', 'u') THEN ARRAY(
           SELECT (SELECT a.attname::pg_catalog.text
                   FROM pg_catalog.pg_attribute AS a
                   WHERE a.attrelid = con.conrelid AND a.attnum = k.attnum)
           FROM pg_catalog.pg_index AS i,
                pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord)
           WHERE i.indexrelid = con.conindid AND k.ord > i.indnkeyatts
           ORDER BY k.ord
       ) END AS include,
       CASE WHEN con.contype IN ('p', 'u') THEN
           (SELECT ic.reloptions FROM pg_catalog.pg_class AS ic WHERE ic.oid = con.conindid)
       END AS index_options,
       -- PostgreSQL 18 (NOT ENFORCED, temporal keys); read as true and false before it
       -- (catalog/reader.py, _NEWER_COLUMNS).
       con.conenforced AS enforced,
       con.conperiod AS period
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class AS rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND con.conislocal
  AND c.relkind IN ('r', 'p', 'f')
  -- [partitions] a partition's own primary key, unique constraint or foreign key (one
  -- PostgreSQL did not clone from the parent's) and its own CHECKs (none of the parent's, which
  -- a CHECK merged into one of them is) are the partition's; exclusion constraints are noted
  AND (NOT c.relispartition
       OR (con.contype IN ('p', 'u', 'f') AND con.conparentid = 0)
       OR (con.contype = 'c' AND con.coninhcount = 0))
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY con.conrelid, con.conname
