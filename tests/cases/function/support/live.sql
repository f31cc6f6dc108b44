-- A planner support function is C code: a built-in one serves here (any (internal) → internal).
CREATE FUNCTION public.matches(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT a LIKE b $$;
CREATE FUNCTION public.plain(a text) RETURNS text LANGUAGE sql IMMUTABLE SUPPORT pg_catalog.textlike_support
    AS $$ SELECT a $$;
