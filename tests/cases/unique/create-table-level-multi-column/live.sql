CREATE TABLE public.slots (id bigint PRIMARY KEY, room text NOT NULL, starts_at timestamptz NOT NULL);
INSERT INTO public.slots VALUES (1, 'a', '2025-01-01 10:00+00'), (2, 'a', '2025-01-01 11:00+00'), (3, 'b', '2025-01-01 10:00+00');
