CREATE TABLE public.orders (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
-- A unique index of the table alone, attached on the partition to an index that a primary key
-- of the partition's own then takes over: neither can be dropped without the other.
CREATE UNIQUE INDEX orders_region_id_key ON ONLY public.orders (region, id);
CREATE UNIQUE INDEX orders_eu_region_id_key ON public.orders_eu (region, id);
ALTER INDEX public.orders_region_id_key ATTACH PARTITION public.orders_eu_region_id_key;
ALTER TABLE public.orders_eu ADD CONSTRAINT orders_eu_pkey PRIMARY KEY USING INDEX orders_eu_region_id_key;
INSERT INTO public.orders VALUES (1, 'eu'), (2, 'eu');
