-- Managed schemas that exist, with their comments.
SELECT n.nspname,
       d.description
FROM pg_catalog.pg_namespace AS n
LEFT JOIN pg_catalog.pg_description AS d
       ON d.objoid = n.oid
      AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.objsubid = 0
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY n.nspname
