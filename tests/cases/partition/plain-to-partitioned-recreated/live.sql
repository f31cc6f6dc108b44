CREATE TABLE public.events (id bigint NOT NULL, at timestamptz NOT NULL, kind text, PRIMARY KEY (id, at));
INSERT INTO public.events SELECT g, timestamptz '2026-10-01' + g * interval '2 hours', 'k' FROM generate_series(1, 20) g;
CREATE TABLE public.event_notes (event_id bigint NOT NULL, event_at timestamptz NOT NULL, body text,
                                 CONSTRAINT event_notes_event FOREIGN KEY (event_id, event_at) REFERENCES public.events (id, at));
