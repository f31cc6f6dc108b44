-- A leaf one level down (a partition of a partition) declared as an ordinary table: detached
-- from its parent with its rows, keeping copies of the keys and CHECKs it had there.
CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, region text NOT NULL,
    PRIMARY KEY (id, at, region), CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')
    PARTITION BY LIST (region);
CREATE TABLE public.events_2026_11_eu PARTITION OF public.events_2026_11 FOR VALUES IN ('eu');
CREATE TABLE public.events_2026_11_us PARTITION OF public.events_2026_11 FOR VALUES IN ('us');
INSERT INTO public.events SELECT g, timestamptz '2026-11-01' + g * interval '1 hour', CASE WHEN g % 3 = 0 THEN 'us' ELSE 'eu' END
FROM generate_series(1, 90) g;
