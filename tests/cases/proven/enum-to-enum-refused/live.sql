-- One enum to another, but a stored value is not a label of the new enum: refused with the
-- count, and nothing runs.
CREATE SCHEMA other;
CREATE TYPE other.old_status AS ENUM ('a', 'b', 'c');
CREATE TYPE other.new_status AS ENUM ('a', 'b');
CREATE TABLE public.orders (id integer PRIMARY KEY, status other.old_status);
INSERT INTO public.orders VALUES (1, 'a'), (2, 'c'), (3, NULL);
