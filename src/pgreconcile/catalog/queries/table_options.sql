-- Managed tables that are UNLOGGED or carry storage parameters (reloptions such as
-- fillfactor=90), only those: most tables have neither, so the result stays small.
SELECT c.oid,
       c.relpersistence = 'u' AS unlogged,
       c.reloptions
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND (c.relpersistence = 'u' OR c.reloptions IS NOT NULL)
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY c.oid
