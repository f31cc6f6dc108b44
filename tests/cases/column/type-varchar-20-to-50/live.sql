CREATE TABLE public.messages (id bigint PRIMARY KEY, role varchar(20) NOT NULL);
INSERT INTO public.messages VALUES (1, 'user'), (2, 'assistant');
