CREATE TABLE public.bookings (id bigint PRIMARY KEY, starts_at timestamptz NOT NULL, ends_at timestamptz, guests integer NOT NULL, max_guests integer NOT NULL);
INSERT INTO public.bookings VALUES (1, '2025-01-01 10:00+00', '2025-01-01 12:00+00', 2, 4), (2, '2025-01-02 10:00+00', NULL, 1, 1);
