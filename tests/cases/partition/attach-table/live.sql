CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text, CONSTRAINT events_kind_check CHECK (kind <> ''), PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX events_kind_idx ON public.events (kind);
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
-- Filled before it is declared a partition: no NOT NULL on `at`, no CHECK, its own index on kind.
CREATE TABLE public.events_2026_10 (id bigint NOT NULL, at timestamptz, kind text);
CREATE INDEX ev10_kind ON public.events_2026_10 (kind);
INSERT INTO public.events_2026_10 SELECT g, timestamptz '2026-10-01' + g * interval '1 hour', 'k' || g % 3 FROM generate_series(1, 300) g;
