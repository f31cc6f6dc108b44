CREATE TABLE public.items (id bigint PRIMARY KEY, price numeric, qty integer);
INSERT INTO public.items VALUES (1, -5, 1), (2, 10, 2);
