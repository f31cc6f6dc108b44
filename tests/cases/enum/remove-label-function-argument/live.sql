-- A function whose argument is the rebuilt enum: dropped and created again for the new type.
CREATE TYPE public.color AS ENUM ('red', 'green', 'mauve');
CREATE TABLE public.paints (id integer PRIMARY KEY, color public.color);
INSERT INTO public.paints VALUES (1, 'red'), (2, 'mauve');
CREATE FUNCTION public.is_red(c public.color) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c = 'red' $$;
