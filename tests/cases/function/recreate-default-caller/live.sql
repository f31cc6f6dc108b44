-- A column default calls a function whose result type changes: PostgreSQL cannot drop the
-- function while the default uses it, so the default is dropped first and set again after.
CREATE FUNCTION public.next_code() RETURNS integer LANGUAGE sql VOLATILE AS $$SELECT 7$$;
CREATE TABLE public.tickets (id integer PRIMARY KEY, code bigint NOT NULL DEFAULT public.next_code());
INSERT INTO public.tickets (id) VALUES (1), (2);
