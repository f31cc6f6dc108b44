-- Row-level security policies of the managed tables, ordered by table and name.
-- polroles {0} means PUBLIC; other roles are named (sorted, so that order never shows as a
-- difference). The expressions are deparsed by the server, as every other expression.
SELECT p.polrelid,
       p.polname,
       p.polcmd,
       p.polpermissive,
       CASE WHEN p.polroles = '{0}'::pg_catalog.oid[] THEN ARRAY['public']::pg_catalog.text[]
            ELSE ARRAY(SELECT r.rolname::pg_catalog.text
                       FROM pg_catalog.pg_roles AS r
                       WHERE r.oid = ANY (p.polroles)
                       ORDER BY r.rolname)
       END AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
FROM pg_catalog.pg_policy AS p
JOIN pg_catalog.pg_class AS c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY p.polrelid, p.polname
