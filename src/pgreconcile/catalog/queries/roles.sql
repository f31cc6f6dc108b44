-- Every role name (grants to a role that does not exist are refused before anything runs), and
-- which one is reading: the role that creates objects, whose default privileges apply to them.
SELECT r.rolname::pg_catalog.text, r.rolname = CURRENT_USER
FROM pg_catalog.pg_roles AS r
ORDER BY 1
