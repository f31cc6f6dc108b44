DO $$ BEGIN CREATE ROLE pub_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE TABLE app.audit (id integer PRIMARY KEY, payload jsonb);
CREATE PUBLICATION audit_pub FOR TABLE app.audit;
CREATE PUBLICATION kept_owner FOR TABLE app.audit;
ALTER PUBLICATION kept_owner OWNER TO pub_owner;
