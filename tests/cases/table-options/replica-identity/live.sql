-- Publications need a replica identity to replicate UPDATE and DELETE: full on a table without
-- a key, a unique index on another, and one set back to its primary key.
CREATE TABLE public.audit (at timestamptz NOT NULL, what text);
CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text NOT NULL);
CREATE UNIQUE INDEX accounts_email_idx ON public.accounts (email);
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
ALTER TABLE public.notes REPLICA IDENTITY FULL;
INSERT INTO public.audit VALUES (now(), 'x');
INSERT INTO public.accounts VALUES (1, 'a@example.com');
