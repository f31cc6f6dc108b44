CREATE TABLE public.posts (id bigint PRIMARY KEY, tags varchar(30)[] NOT NULL DEFAULT '{}');
INSERT INTO public.posts VALUES (1, '{sql,postgres}'), (2, '{}');
