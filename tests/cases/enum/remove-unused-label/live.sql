-- A label no row carries is removed without a mapping: the plan counts its rows (none).
CREATE TYPE public.color AS ENUM ('red', 'green', 'blue', 'mauve');
CREATE TABLE public.paints (id integer PRIMARY KEY, color public.color);
INSERT INTO public.paints VALUES (1, 'red'), (2, 'blue'), (3, NULL);
