CREATE EXTENSION btree_gist;
CREATE TABLE public.bookings (id bigint PRIMARY KEY, room_id integer NOT NULL, during tstzrange NOT NULL, cancelled boolean NOT NULL DEFAULT false, note text);
INSERT INTO public.bookings VALUES (1, 1, '[2026-01-01,2026-01-02)', false, NULL), (2, 1, '[2026-01-01,2026-01-02)', true, 'moved');
