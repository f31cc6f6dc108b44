-- Managed tables that are UNLOGGED, carry storage parameters (reloptions such as fillfactor=90),
-- a replica identity other than the primary key, an index marked for CLUSTER, or are typed
-- tables (OF a composite type), only those:
-- most tables have none of them, so the result stays small.
SELECT c.oid,
       c.relpersistence = 'u' AS unlogged,
       c.reloptions,
       c.relreplident::pg_catalog.text AS replica_identity,
       (SELECT ic.relname::pg_catalog.text
        FROM pg_catalog.pg_index AS i
        JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND i.indisreplident) AS replica_index,
       (SELECT ic.relname::pg_catalog.text
        FROM pg_catalog.pg_index AS i
        JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_index,
       tn.nspname::pg_catalog.text AS of_schema,
       t.typname::pg_catalog.text AS of_name
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_type AS t ON t.oid = c.reloftype
LEFT JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.typnamespace
WHERE c.relkind IN ('r', 'p')
  AND (c.relpersistence = 'u' OR c.reloptions IS NOT NULL OR c.relreplident <> 'd' OR c.reloftype <> 0
       OR c.oid IN (SELECT i.indrelid FROM pg_catalog.pg_index AS i WHERE i.indisclustered))
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY c.oid::pg_catalog.int8  -- sorted after the filter: ordering by the oid index walked every pg_class row
