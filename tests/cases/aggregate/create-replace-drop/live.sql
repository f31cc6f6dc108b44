CREATE FUNCTION public.step(acc integer, x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT acc + x$$;
CREATE AGGREGATE public.mysum(integer) (SFUNC = public.step, STYPE = integer, INITCOND = '0');
CREATE AGGREGATE public.shout(text) (SFUNC = textcat, STYPE = text, FINALFUNC = upper);
CREATE AGGREGATE public.gone(integer) (SFUNC = int4pl, STYPE = integer);
