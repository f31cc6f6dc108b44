CREATE TYPE public.numrange2 AS RANGE (subtype = integer);
