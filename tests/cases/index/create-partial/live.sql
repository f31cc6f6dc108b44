CREATE TABLE public.documents (
  id bigint PRIMARY KEY,
  owner_id bigint NOT NULL,
  email text NOT NULL,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  metadata jsonb,
  body_tsv tsvector,
  valid_during tstzrange,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  score integer
);
INSERT INTO public.documents (id, owner_id, email, title, metadata, body_tsv, valid_during, score) VALUES
  (1, 10, 'A@example.com', 'First', '{"tags": ["a"]}', to_tsvector('simple', 'hello world'), tstzrange(now(), now() + interval '1 day'), 5),
  (2, 10, 'b@example.com', 'Second', NULL, NULL, NULL, NULL),
  (3, 11, 'c@example.com', 'Third', '{}', to_tsvector('simple', 'bye'), NULL, 1);
