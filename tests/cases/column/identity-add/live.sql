CREATE TABLE public.events (id bigint PRIMARY KEY, name text);
INSERT INTO public.events VALUES (1, 'a'), (2, 'b'), (3, 'c');
