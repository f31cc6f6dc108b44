CREATE FUNCTION public.is_finite(v numeric) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$BEGIN RETURN v <> 'NaN'; END$$;
CREATE DOMAIN public.finite AS numeric CONSTRAINT finite_check CHECK (public.is_finite(VALUE));
CREATE DOMAIN public.finite_positive AS public.finite CONSTRAINT finite_positive_check CHECK (VALUE > 0);
CREATE TABLE public.readings (id integer PRIMARY KEY, value public.finite_positive);
