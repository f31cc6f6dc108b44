CREATE TABLE public.notes (id integer PRIMARY KEY, owner uuid, body text);
CREATE FUNCTION public.note_count(p_owner uuid) RETURNS bigint LANGUAGE sql
    AS $$SELECT count(*) FROM public.notes WHERE owner = p_owner$$;
COMMENT ON FUNCTION public.note_count(uuid) IS 'old words';
CREATE FUNCTION public.greet(who text DEFAULT 'world') RETURNS text LANGUAGE sql IMMUTABLE
    AS $$SELECT 'hello ' || who$$;
CREATE FUNCTION public.twice(x integer) RETURNS integer LANGUAGE sql RETURN x * 2;
