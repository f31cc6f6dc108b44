-- A declared USING expression is evaluated over the rows while planning: one value makes it
-- raise, so the apply would fail; and under NOT NULL, the values it maps to NULL are counted.
CREATE TABLE public.orders (id integer PRIMARY KEY, total text, status text NOT NULL);
INSERT INTO public.orders VALUES (1, '10 EUR', 'open'), (2, 'n/a', 'open'), (3, '7 EUR', '');
