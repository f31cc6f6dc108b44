CREATE EXTENSION btree_gist;
CREATE TABLE public.rooms (
    id integer,
    during tstzrange,
    CONSTRAINT rooms_pkey PRIMARY KEY (id, during WITHOUT OVERLAPS)
);
CREATE TABLE public.bookings (
    room_id integer,
    during tstzrange,
    code text,
    CONSTRAINT bookings_room_fkey FOREIGN KEY (room_id, PERIOD during) REFERENCES public.rooms (id, PERIOD during)
);
CREATE TABLE public.prices (item text, valid daterange, price numeric);
INSERT INTO public.rooms VALUES (1, '[2026-01-01, 2027-01-01)');
INSERT INTO public.bookings VALUES (1, '[2026-03-01, 2026-03-05)', 'A');
INSERT INTO public.prices VALUES ('tea', '[2026-01-01, 2026-07-01)', 2), ('tea', '[2026-07-01,)', 3);
