CREATE TABLE public.conversations (id bigint PRIMARY KEY, created_at timestamp NOT NULL DEFAULT now(), updated_at timestamp without time zone);
INSERT INTO public.conversations VALUES (1, '2025-01-14 10:30:00', '2025-01-15 08:00:00'), (2, '2025-08-15 10:30:00', NULL);
