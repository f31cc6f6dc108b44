CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026_11 PARTITION OF public.events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
-- No `kind`, and `id` is an integer: PostgreSQL would refuse to attach it.
CREATE TABLE public.events_2026_10 (id integer NOT NULL, at timestamptz NOT NULL);
INSERT INTO public.events_2026_10 VALUES (1, '2026-10-02');
