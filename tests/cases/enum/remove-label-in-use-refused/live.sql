-- A label still in use, removed without a mapping: refused with the count, nothing runs.
CREATE TYPE public.color AS ENUM ('red', 'green', 'blue', 'mauve');
CREATE TABLE public.paints (id integer PRIMARY KEY, color public.color);
INSERT INTO public.paints VALUES (1, 'red'), (2, 'mauve'), (3, 'mauve'), (4, NULL);
