CREATE TABLE public.items (id bigint PRIMARY KEY, created_at timestamptz DEFAULT now());
INSERT INTO public.items (id) VALUES (1), (2);
