CREATE TABLE public.notes (id integer PRIMARY KEY, owner uuid, body text, updated_at timestamptz);
