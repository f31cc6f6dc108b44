-- A live database for the SQL round trip: serial columns (their sequences are not in the model),
-- quoted names, and references into a platform schema (auth) that the SQL must not manage.
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text UNIQUE);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;

CREATE SCHEMA "Billing";
CREATE TYPE "Billing"."Plan Kind" AS ENUM ('free', 'Pro', 'it''s');
CREATE TABLE "Billing"."Invoice Lines" (
  "Id" bigserial PRIMARY KEY,
  n smallserial,
  kind "Billing"."Plan Kind" NOT NULL DEFAULT 'it''s',
  owner uuid DEFAULT auth.uid() REFERENCES auth.users (id),
  email text REFERENCES auth.users (email) ON DELETE SET NULL
);
CREATE TABLE public.counters (id serial PRIMARY KEY, label text);
INSERT INTO public.counters (label) VALUES ('a'), ('b');
