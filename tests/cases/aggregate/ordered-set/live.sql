-- Ordered-set and hypothetical-set aggregates (ORDER BY in the signature): one becomes
-- hypothetical (CREATE OR REPLACE cannot change an aggregate's kind: re-created), one is new
-- (VARIADIC "any" on both sides of ORDER BY, one argument in the catalog), one gets a comment
-- in place, and an undeclared one is dropped.
CREATE FUNCTION public.bool_state(acc integer[], b boolean) RETURNS integer[]
    LANGUAGE sql IMMUTABLE AS $$SELECT acc || CASE WHEN b THEN 1 ELSE 0 END$$;
CREATE FUNCTION public.bool_final(acc integer[], b boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$SELECT (CASE WHEN b THEN 1 ELSE 0 END) = ANY (acc)$$;
CREATE AGGREGATE public.seen(boolean ORDER BY boolean) (
    SFUNC = public.bool_state, STYPE = integer[], FINALFUNC = public.bool_final, INITCOND = '{}');
CREATE AGGREGATE public.mode_of(ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = mode_final, FINALFUNC_EXTRA);
CREATE AGGREGATE public.old_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);
