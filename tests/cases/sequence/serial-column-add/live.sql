CREATE TABLE public.posts (title text);
INSERT INTO public.posts VALUES ('a'), ('b');
