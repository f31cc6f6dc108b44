CREATE TABLE public.products (id bigint PRIMARY KEY, price numeric(10,2) NOT NULL);
INSERT INTO public.products VALUES (1, 19.99), (2, 0.01);
