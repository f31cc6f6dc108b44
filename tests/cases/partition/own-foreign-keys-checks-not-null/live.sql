CREATE TABLE public.customers (id bigint PRIMARY KEY, name text);
CREATE TABLE public.orders (id bigint NOT NULL, region text NOT NULL, customer_id bigint, note text) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us');
ALTER TABLE public.orders_us ADD CONSTRAINT orders_us_note_check CHECK (note <> '');
ALTER TABLE public.orders_us ALTER COLUMN note SET NOT NULL;
INSERT INTO public.customers VALUES (1, 'a'), (2, 'b');
INSERT INTO public.orders VALUES (1, 'eu', 1, 'x'), (2, 'eu', 2, 'y'), (3, 'us', NULL, 'z');
