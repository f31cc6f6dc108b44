-- Comments on indexes, constraints and policies are COMMENT ON statements: set, changed and
-- removed without re-creating their object; a re-created index gets its comment again.
CREATE TABLE public.notes (
    id bigint CONSTRAINT notes_pkey PRIMARY KEY,
    owner_id bigint NOT NULL,
    body text CONSTRAINT notes_body_check CHECK (length(body) < 1000),
    slug text CONSTRAINT notes_slug_key UNIQUE
);
CREATE INDEX notes_owner_idx ON public.notes (owner_id);
CREATE INDEX notes_body_idx ON public.notes (body);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON public.notes USING (owner_id = 1);
COMMENT ON INDEX public.notes_owner_idx IS 'old words';
COMMENT ON CONSTRAINT notes_body_check ON public.notes IS 'to be removed';
COMMENT ON INDEX public.notes_body_idx IS 'rebuilt below';
INSERT INTO public.notes VALUES (1, 1, 'hello', 'hello');
