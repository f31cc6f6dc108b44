-- One enum to another: PostgreSQL has no cast between them, so the values go through their
-- text; the probe shows every value is a label of the new enum, so no `convert:` is needed.
CREATE SCHEMA other;
CREATE TYPE other.old_status AS ENUM ('a', 'b', 'c');
CREATE TYPE other.new_status AS ENUM ('a', 'b', 'c', 'd');
CREATE TABLE public.orders (id integer PRIMARY KEY, status other.old_status DEFAULT 'a');
INSERT INTO public.orders VALUES (1, 'a'), (2, 'c'), (3, NULL);
