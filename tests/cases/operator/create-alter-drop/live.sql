CREATE FUNCTION public.text_both(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$SELECT a IS NOT NULL AND b IS NOT NULL$$;
CREATE FUNCTION public.text_either(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$SELECT a IS NOT NULL OR b IS NOT NULL$$;
CREATE FUNCTION public.int_far(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$SELECT abs(a - b) > 100$$;

-- re-created: its commutator, negator and HASHES change
CREATE OPERATOR public.||++ (FUNCTION = public.text_both, LEFTARG = text, RIGHTARG = text,
    COMMUTATOR = OPERATOR(public.||+++), NEGATOR = OPERATOR(public.||+-+), HASHES, MERGES,
    RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR public.||++ (text, text) IS 'Both present.';
-- altered in place: its estimators and comment
CREATE OPERATOR public.~~~ (FUNCTION = public.text_either, LEFTARG = text, RIGHTARG = text,
    RESTRICT = eqsel, JOIN = eqjoinsel);
-- dropped: not declared
CREATE OPERATOR public.<<>> (FUNCTION = public.int_far, LEFTARG = integer, RIGHTARG = integer);
-- kept as it is: a prefix operator
CREATE OPERATOR public.!! (FUNCTION = pg_catalog.int8um, RIGHTARG = bigint);
