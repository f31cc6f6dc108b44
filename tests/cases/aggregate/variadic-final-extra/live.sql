CREATE FUNCTION public.cat_step(acc text, VARIADIC parts text[]) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT acc || array_to_string(parts, ',') $$;
CREATE FUNCTION public.cat_final(acc text, VARIADIC parts text[]) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT upper(acc) $$;
-- Declared below with FINALFUNC_EXTRA: replaced.
CREATE AGGREGATE public.cat_all(VARIADIC text[]) (SFUNC = public.cat_step, STYPE = text, INITCOND = '');
