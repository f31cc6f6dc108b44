CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at));
INSERT INTO public.events SELECT g, timestamptz '2026-10-01' + g * interval '2 hours', 'k' FROM generate_series(1, 20) g;
