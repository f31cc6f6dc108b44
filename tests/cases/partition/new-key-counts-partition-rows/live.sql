-- A key added to a partitioned table is probed over its partitions' rows (the table itself
-- holds none: a scan of ONLY the table would call it empty).
CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
CREATE TABLE public.events_2026_12 PARTITION OF public.events FOR VALUES FROM ('2026-12-01') TO ('2027-01-01');
INSERT INTO public.events VALUES (1, '2026-11-02', 'a'), (2, '2026-11-03', 'b'), (3, '2026-12-05', 'c');
