CREATE TABLE public.events (id serial PRIMARY KEY, name text);
INSERT INTO public.events (name) VALUES ('a'), ('b');
