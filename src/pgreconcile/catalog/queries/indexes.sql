-- Secondary indexes of the managed tables, partitions and materialized views, one row per index column (key columns first, then
-- INCLUDE columns), ordered by table, index name and position; the reader groups them.
-- Everything in pg_index is read except the indexes that implement a PRIMARY KEY, UNIQUE or
-- EXCLUDE constraint (those are read as constraints). Foreign keys also set conindid (to the
-- referenced table's index), hence the contype filter.
--
-- pg_get_indexdef(oid, k, true) prints only the column name or expression of key k; it is
-- called for expression keys only (indkey = 0), since deparsing is the costly part. The
-- collation, operator class, DESC and NULLS parts are assembled by the reader. indclass,
-- indcollation and indoption have entries for key columns only, so they are NULL past those.
SELECT i.indrelid,
       i.indexrelid,
       ic.relname AS index_name,
       i.indisunique,
       am.amname,
       pg_catalog.pg_indexam_has_property(am.oid, 'can_order') AS can_order,
       i.indisvalid,
       CASE WHEN k.n = 1 THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END AS predicate,
       -- Storage parameters, and NULLS NOT DISTINCT (from PostgreSQL 15 on; false before: the
       -- reader puts the constant in, catalog/reader.py _NEWER_COLUMNS).
       CASE WHEN k.n = 1 THEN ic.reloptions END AS reloptions,
       CASE WHEN k.n = 1 THEN i.indnullsnotdistinct END AS nulls_not_distinct,
       k.n > i.indnkeyatts AS is_include,
       k.attnum,
       CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n::integer, true) END AS expression,
       a.attname,
       -- An operator class's parameters (tsvector_ops (siglen='8'), the index column's
       -- attoptions) are spelled as pg_get_indexdef prints them; they need the class named,
       -- even a default one.
       CASE WHEN oc.oid IS NULL OR (oc.opcdefault AND ia.attoptions IS NULL) THEN ''
            WHEN ocn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(oc.opcname)
            ELSE pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(oc.opcname)
       END || coalesce(' (' || (
           SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.split_part(o, '=', 1)) || '='
                                        || pg_catalog.quote_literal(pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1)), ', ')
           FROM pg_catalog.unnest(ia.attoptions) AS o) || ')', '') AS opclass,
       -- A collation is spelled only when it differs from the indexed column's own.
       CASE WHEN coll.oid IS NULL OR coll.oid = a.attcollation OR k.attnum = 0 THEN ''
            WHEN colln.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(coll.collname)
            ELSE pg_catalog.quote_ident(colln.nspname) || '.' || pg_catalog.quote_ident(coll.collname)
       END AS collation,
       coalesce(i.indoption[k.n - 1], 0) AS option
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class AS c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am AS am ON am.oid = ic.relam
CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, n)
LEFT JOIN pg_catalog.pg_attribute AS a
       ON a.attrelid = i.indrelid
      AND a.attnum = k.attnum
      AND k.attnum > 0
LEFT JOIN pg_catalog.pg_attribute AS ia
       ON ia.attrelid = i.indexrelid
      AND ia.attnum = k.n
      AND ia.attoptions IS NOT NULL
LEFT JOIN pg_catalog.pg_opclass AS oc ON oc.oid = i.indclass[k.n - 1]
LEFT JOIN pg_catalog.pg_namespace AS ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_catalog.pg_collation AS coll ON coll.oid = i.indcollation[k.n - 1]
LEFT JOIN pg_catalog.pg_namespace AS colln ON colln.oid = coll.collnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  -- [partitions] a partition's index attached to an index of its parent is the parent's
  AND NOT ic.relispartition
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1
      FROM pg_catalog.pg_constraint AS con
      WHERE con.conindid = i.indexrelid
        AND con.conrelid = i.indrelid
        AND con.contype IN ('p', 'u', 'x')
  )
ORDER BY i.indrelid, ic.relname, k.n
