-- User mappings of a server whose mappings are managed: one created (PUBLIC), one whose options
-- change, one undeclared (dropped). No secrets here (inspect writes them masked).
DO $$ BEGIN CREATE ROLE fdw_mapped_role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FOREIGN DATA WRAPPER test_fdw;
CREATE SERVER test_server FOREIGN DATA WRAPPER test_fdw;
CREATE USER MAPPING FOR CURRENT_USER SERVER test_server OPTIONS (user 'remote_user', dbname 'one');
CREATE USER MAPPING FOR fdw_mapped_role SERVER test_server;
