CREATE TABLE public.articles (id bigint PRIMARY KEY, title text NOT NULL);
