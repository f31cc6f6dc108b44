CREATE TABLE public.items (id integer PRIMARY KEY, active boolean NOT NULL DEFAULT true);
