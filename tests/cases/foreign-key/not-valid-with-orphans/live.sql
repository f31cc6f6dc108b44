CREATE TABLE public.users (id bigint PRIMARY KEY);
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_id bigint);
INSERT INTO public.users VALUES (1);
INSERT INTO public.posts VALUES (1, 1), (2, 99);
