DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE service_role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE TABLE app.notes (id text PRIMARY KEY, body text, n text);
INSERT INTO app.notes VALUES ('1', 'a', '10'), ('2', 'b', '20');
GRANT SELECT, INSERT ON app.notes TO authenticated;
GRANT UPDATE (n) ON app.notes TO anon;
