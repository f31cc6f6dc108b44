CREATE TABLE public.items (id bigint PRIMARY KEY, price numeric(10,2) NOT NULL, qty integer NOT NULL);
INSERT INTO public.items VALUES (1, 2.50, 4), (2, 1.00, 3);
