-- ALTER DEFAULT PRIVILEGES entries, exploded (one row per grantee and privilege; an entry that
-- holds nothing for anyone comes back with NULL grantee): those IN SCHEMA of every schema (a
-- handful of rows; declarations may manage public's without managing public), and the
-- database-wide ones (schema ''), which replace PostgreSQL's built-in defaults
-- for the role and so also list what the role itself keeps: that part is left out, as an
-- owner's own privileges are everywhere.
SELECT COALESCE(n.nspname::pg_catalog.text, ''), pg_catalog.pg_get_userbyid(d.defaclrole),
       d.defaclobjtype::pg_catalog.text,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee) END,
       pg_catalog.lower(x.privilege_type), x.is_grantable
FROM pg_catalog.pg_default_acl AS d
LEFT JOIN pg_catalog.pg_namespace AS n ON n.oid = d.defaclnamespace
LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) AS x
       ON d.defaclnamespace <> 0 OR x.grantee <> d.defaclrole
ORDER BY 1, 2, 3, 4, 5
