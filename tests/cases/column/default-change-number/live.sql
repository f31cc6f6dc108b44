CREATE TABLE public.items (id bigint PRIMARY KEY, message_count integer DEFAULT 0);
INSERT INTO public.items (id) VALUES (1), (2);
