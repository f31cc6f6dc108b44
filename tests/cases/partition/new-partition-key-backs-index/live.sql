CREATE TABLE public.items (region text NOT NULL, code text NOT NULL, label text) PARTITION BY LIST (region);
CREATE UNIQUE INDEX items_region_code_idx ON public.items (region, code);
CREATE TABLE public.items_eu PARTITION OF public.items FOR VALUES IN ('eu');
