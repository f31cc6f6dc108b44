DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE service_role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
GRANT USAGE, CREATE ON SCHEMA app TO authenticated;
CREATE TABLE app.notes (id integer PRIMARY KEY, body text);
GRANT SELECT, INSERT ON app.notes TO authenticated;
GRANT SELECT ON app.notes TO PUBLIC;
