CREATE EXTENSION pg_trgm VERSION '1.6';
CREATE TABLE public.articles (id bigint PRIMARY KEY, title text NOT NULL);
