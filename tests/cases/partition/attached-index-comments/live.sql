-- Comments on the indexes PostgreSQL made on each partition for the table's index.
CREATE TABLE public.parcels (id bigint NOT NULL, zone text NOT NULL, code text, weight int) PARTITION BY LIST (zone);
CREATE TABLE public.parcels_a PARTITION OF public.parcels FOR VALUES IN ('a');
CREATE TABLE public.parcels_b PARTITION OF public.parcels FOR VALUES IN ('b');
CREATE TABLE public.parcels_c PARTITION OF public.parcels FOR VALUES IN ('c');
CREATE TABLE public.parcels_e PARTITION OF public.parcels FOR VALUES IN ('e');
CREATE INDEX parcels_weight ON public.parcels (weight);
COMMENT ON INDEX public.parcels_a_weight_idx IS 'old a';
COMMENT ON INDEX public.parcels_b_weight_idx IS 'kept by b';
COMMENT ON INDEX public.parcels_c_weight_idx IS 'goes';
COMMENT ON INDEX public.parcels_e_weight_idx IS 'not named, left alone';
