-- Partitioned tables and partitions in the managed schemas: every table that has a partition
-- key (pg_get_partkeydef) or a partition bound (pg_get_expr of relpartbound), with its parent.
-- A partition's columns, and the indexes, keys and CHECKs PostgreSQL cloned onto it from the
-- parent, belong to the parent (read there). Its own indexes, keys, foreign keys and CHECKs
-- are read with every table's (indexes.sql, constraints.sql), its replica identity by
-- table_options.sql; its own exclusion constraints are listed by name so that the reader can
-- say they are not managed. `attached` pairs each of its indexes attached to an index of the
-- parent with that index, by name, and the partition's index's comment (NULL: none); `not_null` lists the columns it holds NOT NULL while the
-- parent's are nullable; `defaults` pairs each column whose default differs from the parent's
-- with its own (NULL: none), as pg_get_expr prints both (one printer: equal text, equal default).
-- PostgreSQL 18+: `not_null_names` pairs each column the partition holds NOT NULL with the name
-- of that constraint (its own or the one it inherits); `not_null_local` lists the columns whose
-- NOT NULL the partition declared itself (conislocal: `PARTITION OF t (c NOT NULL)`; an attached
-- table's are inherited ones once attached); `not_null_names_known` is false before 18, where
-- NOT NULLs have no name.
SELECT c.oid,
       i.inhparent,
       n.nspname,
       c.relname,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       d.description,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT 'constraint ' || con.conname
           FROM pg_catalog.pg_constraint AS con
           WHERE con.conrelid = c.oid
             AND con.conislocal
             AND con.conparentid = 0
             AND con.contype = 'x'
       ) END AS own_objects,
       c.relrowsecurity,
       c.relforcerowsecurity,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT ARRAY[ic.relname::pg_catalog.text, pc.relname::pg_catalog.text, id.description]
           FROM pg_catalog.pg_index AS x
           JOIN pg_catalog.pg_class AS ic ON ic.oid = x.indexrelid
           JOIN pg_catalog.pg_inherits AS ih ON ih.inhrelid = x.indexrelid
           JOIN pg_catalog.pg_class AS pc ON pc.oid = ih.inhparent
           LEFT JOIN pg_catalog.pg_description AS id
                  ON id.objoid = ic.oid
                 AND id.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                 AND id.objsubid = 0
           WHERE x.indrelid = c.oid AND ic.relispartition
           ORDER BY ic.relname
       ) END AS attached,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT a.attname::pg_catalog.text
           FROM pg_catalog.pg_attribute AS a
           JOIN pg_catalog.pg_attribute AS pa
             ON pa.attrelid = i.inhparent AND pa.attname = a.attname
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             AND a.attnotnull AND NOT pa.attnotnull
           ORDER BY a.attname
       ) END AS not_null,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT ARRAY[a.attname::pg_catalog.text, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)]
           FROM pg_catalog.pg_attribute AS a
           JOIN pg_catalog.pg_attribute AS pa
             ON pa.attrelid = i.inhparent AND pa.attname = a.attname
           LEFT JOIN pg_catalog.pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
           LEFT JOIN pg_catalog.pg_attrdef AS pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
             AND pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
                 IS DISTINCT FROM pg_catalog.pg_get_expr(pd.adbin, pd.adrelid)
           ORDER BY a.attname
       ) END AS defaults,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT ARRAY[a.attname::pg_catalog.text, nn.conname::pg_catalog.text]
           FROM pg_catalog.pg_constraint AS nn
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = nn.conrelid AND a.attnum = nn.conkey[1]
           WHERE nn.conrelid = c.oid AND nn.contype = 'n'
           ORDER BY a.attname
       ) END AS not_null_names,
       CASE WHEN c.relispartition THEN ARRAY(
           SELECT a.attname::pg_catalog.text
           FROM pg_catalog.pg_constraint AS nn
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = nn.conrelid AND a.attnum = nn.conkey[1]
           WHERE nn.conrelid = c.oid AND nn.contype = 'n' AND nn.conislocal
           ORDER BY a.attname
       ) END AS not_null_local,
       c.relispartition AS not_null_names_known
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
