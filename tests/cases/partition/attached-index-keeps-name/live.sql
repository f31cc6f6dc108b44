CREATE TABLE public.parcels (id bigint NOT NULL, zone text NOT NULL, code text, weight int) PARTITION BY LIST (zone);
CREATE TABLE public.parcels_a PARTITION OF public.parcels FOR VALUES IN ('a');
CREATE TABLE public.parcels_b PARTITION OF public.parcels FOR VALUES IN ('b');
CREATE INDEX parcels_a_code ON public.parcels_a (code);
CREATE INDEX parcels_weight ON public.parcels (weight);
