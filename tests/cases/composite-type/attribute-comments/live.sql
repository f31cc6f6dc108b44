CREATE TYPE public.address AS (street text, city text, zip text);
COMMENT ON TYPE public.address IS 'postal address';
COMMENT ON COLUMN public.address.street IS 'street and number';
COMMENT ON COLUMN public.address.zip IS 'old zip comment';
CREATE TYPE public.reading AS (value numeric, unit text);
COMMENT ON COLUMN public.reading.unit IS 'gone with the type';
