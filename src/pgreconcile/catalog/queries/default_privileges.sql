-- ALTER DEFAULT PRIVILEGES … IN SCHEMA entries of the managed schemas, exploded (one row per
-- grantee and privilege; an entry left empty comes back with NULL grantee). Entries without a
-- schema (cluster-wide for a role) are not managed.
SELECT n.nspname::pg_catalog.text, pg_catalog.pg_get_userbyid(d.defaclrole), d.defaclobjtype::pg_catalog.text,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee) END,
       pg_catalog.lower(x.privilege_type), x.is_grantable
FROM pg_catalog.pg_default_acl AS d
JOIN pg_catalog.pg_namespace AS n ON n.oid = d.defaclnamespace
LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) AS x ON true
WHERE n.nspname = ANY (%(managed)s::pg_catalog.text[])
ORDER BY 1, 2, 3, 4, 5
