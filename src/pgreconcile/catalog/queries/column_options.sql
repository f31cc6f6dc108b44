-- Columns of managed tables (and materialized views: their storage and statistics target) with a collation other than their type's, a TOAST compression
-- method, a storage other than their type's, a statistics target of their own or attribute
-- options (n_distinct): only those (most columns have none).
-- A collation is SQL as COLLATE takes it: in pg_catalog named alone ("C", "en_US.utf8"),
-- any other schema-qualified; quoted where needed.
SELECT a.attrelid,
       a.attname,
       CASE WHEN a.attcollation <> t.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                 ELSE pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
       END AS collation,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END AS compression,
       CASE WHEN a.attstorage <> t.typstorage THEN
            CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main'
                              ELSE 'extended' END
       END AS storage,
       -- -1 before PostgreSQL 17, NULL since: the default target.
       NULLIF(a.attstattarget::pg_catalog.int4, -1) AS stattarget,
       a.attoptions
FROM pg_catalog.pg_attribute AS a
JOIN pg_catalog.pg_type AS t ON t.oid = a.atttypid
JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_collation AS co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace AS cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'f', 'm')
  AND NOT c.relispartition
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND (a.attcollation <> t.typcollation OR a.attcompression <> '' OR a.attstorage <> t.typstorage
       OR a.attstattarget <> -1 OR a.attoptions IS NOT NULL)
ORDER BY a.attrelid, a.attnum
