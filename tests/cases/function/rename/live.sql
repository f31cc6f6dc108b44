CREATE FUNCTION public.add_numbers(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT a + b$$;
GRANT EXECUTE ON FUNCTION public.add_numbers(integer, integer) TO PUBLIC;
