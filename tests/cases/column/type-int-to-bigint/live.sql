CREATE TABLE public.events (id integer PRIMARY KEY, counter integer NOT NULL DEFAULT 0);
INSERT INTO public.events VALUES (1, 5), (2, 2147483647);
