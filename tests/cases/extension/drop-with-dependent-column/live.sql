CREATE EXTENSION citext SCHEMA public;
CREATE TABLE public.users (id bigint PRIMARY KEY, email public.citext);
INSERT INTO public.users VALUES (1, 'A@example.com');
