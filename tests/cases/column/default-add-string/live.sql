CREATE TABLE public.items (id bigint PRIMARY KEY, title varchar(200) NOT NULL);
INSERT INTO public.items (id, title) VALUES (1, 'a'), (2, 'b');
