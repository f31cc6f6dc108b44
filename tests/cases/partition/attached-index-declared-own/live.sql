CREATE SCHEMA archive;
CREATE TABLE public.readings (id int NOT NULL, at date NOT NULL, value int) PARTITION BY RANGE (at);
CREATE TABLE archive.readings_old PARTITION OF public.readings FOR VALUES FROM ('2000-01-01') TO ('2026-01-01');
CREATE TABLE public.readings_new PARTITION OF public.readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- The table's index is built on both partitions and attached there.
CREATE INDEX readings_value_idx ON public.readings (value);
ALTER INDEX archive.readings_old_value_idx RENAME TO readings_old_value;
INSERT INTO public.readings VALUES (1, '2020-05-01', 10), (2, '2026-05-01', 20);
