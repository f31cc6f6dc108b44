CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_10 PARTITION OF public.events FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
CREATE INDEX events_kind_idx ON public.events (kind);
INSERT INTO public.events SELECT g, timestamptz '2026-10-01' + g * interval '2 hours', 'k' || g % 3 FROM generate_series(1, 500) g;
