CREATE TABLE public.products (id bigint PRIMARY KEY, price numeric(10,2) NOT NULL CHECK (price > 0));
INSERT INTO public.products VALUES (1, 5);
