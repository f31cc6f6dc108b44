-- Reordered attributes: nothing stores the type, so it is re-created, with the function taking it
-- (a column storing it refuses the plan instead: tests/core/test_composite_reorder.py).
CREATE TYPE public.pair AS (label text, amount integer, note text);
CREATE FUNCTION public.pair_label(p public.pair) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT p.label$$;
