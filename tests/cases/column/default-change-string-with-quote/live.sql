CREATE TABLE public.items (id bigint PRIMARY KEY, label text DEFAULT 'untitled');
INSERT INTO public.items (id) VALUES (1), (2);
