CREATE EXTENSION citext SCHEMA public;
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
