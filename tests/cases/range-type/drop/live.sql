CREATE TYPE public.floatrange AS RANGE (subtype = float8);
