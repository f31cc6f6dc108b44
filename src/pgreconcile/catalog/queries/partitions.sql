-- Partitioned tables and partitions in the managed schemas: every table that has a partition
-- key (pg_get_partkeydef) or a partition bound (pg_get_expr of relpartbound), with its parent.
-- A partition's columns, and the indexes, keys and CHECKs PostgreSQL cloned onto it from the
-- parent, belong to the parent (read there); what a partition holds of its own (a local index or
-- constraint) is listed by name so that the reader can say it is not managed.
SELECT c.oid,
       i.inhparent,
       n.nspname,
       c.relname,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       d.description,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT 'index ' || ic.relname
           FROM pg_catalog.pg_index AS x
           JOIN pg_catalog.pg_class AS ic ON ic.oid = x.indexrelid
           WHERE x.indrelid = c.oid
             AND NOT ic.relispartition
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS k WHERE k.conindid = x.indexrelid
                                                                       AND k.conrelid = c.oid)
           UNION ALL
           SELECT 'constraint ' || con.conname
           FROM pg_catalog.pg_constraint AS con
           WHERE con.conrelid = c.oid
             AND con.conislocal
             AND con.conparentid = 0
             AND con.contype IN ('p', 'u', 'f', 'c', 'x')
       ) END AS own_objects
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits AS i ON i.inhrelid = c.oid AND c.relispartition
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = c.oid
      AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND (c.relkind = 'p' OR c.relispartition)
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY n.nspname, c.relname
