-- An extension that keeps data of its own, as pg_cron keeps its jobs: a member table registered
-- as a configuration table (what pg_extension_config_dump does from an extension's script).
CREATE EXTENSION citext SCHEMA public;
CREATE TABLE public.citext_settings (name text PRIMARY KEY, value text);
INSERT INTO public.citext_settings VALUES ('mode', 'strict');
ALTER EXTENSION citext ADD TABLE public.citext_settings;
UPDATE pg_catalog.pg_extension SET extconfig = ARRAY['public.citext_settings'::regclass::oid], extcondition = ARRAY['']
 WHERE extname = 'citext';
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
