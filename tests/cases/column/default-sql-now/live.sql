CREATE TABLE public.items (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT '2020-01-01');
INSERT INTO public.items (id) VALUES (1), (2);
