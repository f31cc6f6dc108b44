CREATE TABLE public.messages (id bigint PRIMARY KEY, content text NOT NULL);
INSERT INTO public.messages VALUES (1, 'hi'), (2, 'there');
