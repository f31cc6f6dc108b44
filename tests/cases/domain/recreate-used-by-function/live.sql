CREATE DOMAIN public.amount AS numeric(10,2);
CREATE FUNCTION public.rounded(v public.amount) RETURNS public.amount LANGUAGE sql IMMUTABLE AS $$SELECT v$$;
CREATE FUNCTION public.doubled(v numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$SELECT v * 2$$;
