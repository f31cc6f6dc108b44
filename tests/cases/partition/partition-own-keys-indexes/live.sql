CREATE SCHEMA archive;
CREATE TABLE public.shipments (id bigint NOT NULL, zone text NOT NULL, label text, weight int) PARTITION BY LIST (zone);
CREATE TABLE public.shipments_north PARTITION OF public.shipments FOR VALUES IN ('north');
CREATE TABLE public.shipments_south PARTITION OF public.shipments FOR VALUES IN ('south');
CREATE INDEX shipments_south_weight ON public.shipments_south (weight);
ALTER TABLE public.shipments_south ADD CONSTRAINT shipments_south_pk PRIMARY KEY (label);
CREATE TABLE archive.shipments_old PARTITION OF public.shipments FOR VALUES IN ('old');
INSERT INTO public.shipments VALUES (1, 'north', 'a', 3), (2, 'south', 'b', 4), (3, 'old', 'c', 5);
