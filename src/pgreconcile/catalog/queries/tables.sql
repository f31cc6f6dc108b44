-- Ordinary, partitioned and foreign tables in managed schemas. Partitions (relispartition) belong to
-- their parent and are not declared on their own. [inheritance] The last two columns are the
-- parents of an INHERITS child (schemas, names), in inhseqno order (a partition's parent is not
-- one: partitions are left out here). pg_inherits is aggregated once and joined, rather than
-- probed by two subqueries per table. A table that belongs to an extension (PostGIS's
-- spatial_ref_sys, pg_cron's job) is the extension's: left out, as its functions are.
SELECT c.oid,
       n.nspname,
       c.relname,
       d.description,
       c.relrowsecurity,
       c.relforcerowsecurity,
       coalesce(inh.parent_schemas, '{}') AS parent_schemas,
       coalesce(inh.parent_names, '{}') AS parent_names
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = c.oid
      AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = 0
LEFT JOIN (
    SELECT i.inhrelid,
           pg_catalog.array_agg(pn.nspname::pg_catalog.text ORDER BY i.inhseqno) AS parent_schemas,
           pg_catalog.array_agg(p.relname::pg_catalog.text ORDER BY i.inhseqno) AS parent_names
    FROM pg_catalog.pg_inherits AS i
    JOIN pg_catalog.pg_class AS p ON p.oid = i.inhparent
    JOIN pg_catalog.pg_namespace AS pn ON pn.oid = p.relnamespace
    GROUP BY i.inhrelid
) AS inh ON inh.inhrelid = c.oid
WHERE c.relkind IN ('r', 'p', 'f')
  AND NOT c.relispartition
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend AS e
      WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e'
  )
ORDER BY c.oid
