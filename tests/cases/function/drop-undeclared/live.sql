CREATE TABLE public.notes (id integer PRIMARY KEY, updated_at timestamptz);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
CREATE TRIGGER notes_touch BEFORE UPDATE ON public.notes FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE FUNCTION public.old_helper(a integer, b integer) RETURNS integer LANGUAGE sql AS $$SELECT a + b$$;
CREATE PROCEDURE public.old_job() LANGUAGE sql AS $$SELECT 1$$;
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;
