CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
CREATE TABLE public.events_other PARTITION OF public.events DEFAULT;
-- 30 rows in November, then 45 from 2026-12-01 00:00 UTC on (every 16 hours), all but November's in the DEFAULT.
INSERT INTO public.events SELECT g, timestamptz '2026-11-01 00:00:00+00' + g * interval '23 hours', 'k' FROM generate_series(0, 29) g;
INSERT INTO public.events SELECT 100 + g, timestamptz '2026-12-01 00:00:00+00' + g * interval '16 hours', 'k' FROM generate_series(0, 44) g;
-- December 31st 20:00 UTC is already 2027 in Tokyo: with the database's sessions in Tokyo, the
-- probe must still read the bound in UTC (as apply does) and count this row.
INSERT INTO public.events VALUES (999, '2026-12-31 20:00:00+00', 'k');
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', current_database(), 'Asia/Tokyo'); END $$;
