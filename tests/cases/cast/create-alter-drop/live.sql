CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE FUNCTION public.mood_text(m public.mood) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$SELECT m::text$$;
CREATE FUNCTION public.mood_score(m public.mood) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$SELECT CASE WHEN m = 'happy' THEN 1 ELSE 0 END$$;

-- re-created: its context changes (there is no ALTER CAST)
CREATE CAST (public.mood AS text) WITH FUNCTION public.mood_text(public.mood);
-- its comment changes in place
CREATE CAST (public.mood AS character varying) WITH INOUT AS ASSIGNMENT;
-- dropped: not declared
CREATE CAST (public.mood AS integer) WITH FUNCTION public.mood_score(public.mood);
