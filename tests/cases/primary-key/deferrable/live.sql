CREATE TABLE public.slots (id integer PRIMARY KEY, position integer NOT NULL);
INSERT INTO public.slots VALUES (1, 1), (2, 2);
CREATE TABLE public.steps (run integer, n integer, CONSTRAINT steps_pkey PRIMARY KEY (run, n) DEFERRABLE);
