CREATE TABLE public.messages (id bigint PRIMARY KEY, role varchar(20) NOT NULL, content text NOT NULL);
INSERT INTO public.messages VALUES (1, 'user', 'hi'), (2, 'assistant', 'hello'), (3, 'tool', '{}');
