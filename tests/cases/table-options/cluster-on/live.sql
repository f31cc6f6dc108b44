-- CLUSTER ON marks the index a bare CLUSTER uses (pg_index.indisclustered). The mark moves from
-- one index to the primary key's, is removed, set on a new table, and set again when the plan
-- re-creates the marked index (dropping an index drops its mark).
CREATE TABLE public.events (id bigint PRIMARY KEY, created_at timestamptz, kind text);
CREATE INDEX events_created_at_idx ON public.events (created_at);
ALTER TABLE public.events CLUSTER ON events_created_at_idx;
CREATE TABLE public.logs (id bigint PRIMARY KEY, at timestamptz);
ALTER TABLE public.logs CLUSTER ON logs_pkey;
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
CREATE INDEX notes_body_idx ON public.notes (body);
ALTER TABLE public.notes CLUSTER ON notes_body_idx;
