CREATE TABLE public.posts (id bigint PRIMARY KEY);
INSERT INTO public.posts VALUES (1), (2);
