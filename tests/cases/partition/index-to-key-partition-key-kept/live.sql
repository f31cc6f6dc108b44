CREATE TABLE public.orders (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us');
-- The table's unique index is built on each partition; one partition's copy becomes a
-- primary key of that partition's own (USING INDEX), still attached to the table's index.
CREATE UNIQUE INDEX orders_pkey ON public.orders (region, id);
ALTER TABLE public.orders_eu ADD CONSTRAINT orders_eu_pkey PRIMARY KEY USING INDEX orders_eu_region_id_idx;
INSERT INTO public.orders VALUES (1, 'eu'), (2, 'us');
