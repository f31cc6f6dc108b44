CREATE TABLE public.items (id bigint PRIMARY KEY, price numeric(10,2));
INSERT INTO public.items (id) VALUES (1), (2);
