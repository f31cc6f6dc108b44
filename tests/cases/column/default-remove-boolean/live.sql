CREATE TABLE public.items (id bigint PRIMARY KEY, is_public boolean NOT NULL DEFAULT false);
INSERT INTO public.items (id, is_public) VALUES (1, true), (2, false);
