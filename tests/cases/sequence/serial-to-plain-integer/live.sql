CREATE TABLE public.items (id serial PRIMARY KEY, name text);
INSERT INTO public.items (name) VALUES ('a'), ('b');
