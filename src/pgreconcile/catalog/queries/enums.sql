-- Enum types in managed schemas, labels in sort order (an enum may have no labels at all).
SELECT n.nspname,
       t.typname,
       pg_catalog.array_remove(
           pg_catalog.array_agg(e.enumlabel::pg_catalog.text ORDER BY e.enumsortorder), NULL
       ) AS labels,
       d.description
FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_enum AS e ON e.enumtypid = t.oid
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = t.oid
      AND d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass
      AND d.objsubid = 0
WHERE t.typtype = 'e'
  AND n.nspname = ANY (%(managed)s::pg_catalog.text[])
GROUP BY n.nspname, t.typname, d.description
ORDER BY n.nspname, t.typname
