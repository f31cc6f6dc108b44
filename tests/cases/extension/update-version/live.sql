CREATE EXTENSION pg_trgm VERSION '1.4';
CREATE TABLE public.articles (id bigint PRIMARY KEY, title text NOT NULL);
CREATE INDEX articles_title_trgm ON public.articles USING gin (title gin_trgm_ops);
