CREATE TABLE public.visits (id integer PRIMARY KEY, first_seen_at bigint, seen_ms bigint);
INSERT INTO public.visits VALUES (1, 1700000000, 1700000000123), (2, NULL, NULL);
