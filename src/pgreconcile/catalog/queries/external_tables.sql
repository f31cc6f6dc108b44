-- Tables outside the managed schemas (auth.users, ...) with their column names, so that
-- declared foreign keys into them can be checked. System schemas are left out.
SELECT n.nspname,
       c.relname,
       -- A table may have no columns at all; it still exists and is listed.
       coalesce(
           pg_catalog.array_agg(a.attname::pg_catalog.text ORDER BY a.attnum)
               FILTER (WHERE a.attname IS NOT NULL),
           '{}'
       ) AS columns
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute AS a
  ON a.attrelid = c.oid
 AND a.attnum > 0
 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p', 'f')
  AND NOT c.relispartition
  AND NOT (n.nspname = ANY (%(managed)s::pg_catalog.text[]))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_'
GROUP BY n.nspname, c.relname
ORDER BY n.nspname, c.relname
