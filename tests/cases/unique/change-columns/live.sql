CREATE TABLE public.slots (id bigint PRIMARY KEY, room text NOT NULL, starts_at timestamptz NOT NULL);
ALTER TABLE public.slots ADD CONSTRAINT slots_room_key UNIQUE (room);
INSERT INTO public.slots VALUES (1, 'a', '2025-01-01 10:00+00'), (2, 'b', '2025-01-01 10:00+00');
