CREATE TABLE public.items (id bigint PRIMARY KEY, created_at bigint);
INSERT INTO public.items (id) VALUES (1), (2);
