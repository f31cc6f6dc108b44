CREATE TABLE public.items (id bigint PRIMARY KEY, token text);
INSERT INTO public.items (id) VALUES (1), (2);
