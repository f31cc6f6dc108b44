-- Ordinary, partitioned and foreign tables in managed schemas. Partitions (relispartition) belong to
-- their parent and are not declared on their own.
SELECT c.oid,
       n.nspname,
       c.relname,
       d.description,
       c.relrowsecurity,
       c.relforcerowsecurity
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = c.oid
      AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'f')
  AND NOT c.relispartition
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY c.oid
