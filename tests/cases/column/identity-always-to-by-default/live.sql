CREATE TABLE public.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
INSERT INTO public.events (name) VALUES ('a'), ('b');
