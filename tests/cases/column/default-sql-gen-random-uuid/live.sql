CREATE TABLE public.items (id bigint PRIMARY KEY, external_id uuid);
INSERT INTO public.items (id) VALUES (1), (2);
