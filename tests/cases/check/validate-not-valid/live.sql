CREATE TABLE public.items (id bigint PRIMARY KEY, price numeric);
INSERT INTO public.items VALUES (1, 5), (2, 10);
ALTER TABLE public.items ADD CONSTRAINT items_price_positive CHECK (price > 0) NOT VALID;
