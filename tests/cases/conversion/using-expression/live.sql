CREATE TABLE public.items (id integer PRIMARY KEY, status text, price_cents integer);
INSERT INTO public.items VALUES (1, 'open', 1999), (2, 'closed', 500);
