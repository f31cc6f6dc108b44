CREATE TABLE public.documents (id bigint PRIMARY KEY, body_tsv tsvector NOT NULL, title text);
CREATE INDEX documents_body_idx ON public.documents USING gist (body_tsv tsvector_ops (siglen = 8));
