-- Every role name (grants to a role that does not exist are refused before anything runs),
-- which one is reading (the role that creates objects, whose default privileges apply to
-- them), and whether each can log in or is a superuser (what inspect writes under `roles:`).
SELECT r.rolname::pg_catalog.text, r.rolname = CURRENT_USER, r.rolcanlogin, r.rolsuper
FROM pg_catalog.pg_roles AS r
ORDER BY 1
