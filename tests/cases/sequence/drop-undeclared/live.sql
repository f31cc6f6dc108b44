CREATE SEQUENCE public.old_counter;
CREATE TABLE public.items (id serial PRIMARY KEY, name text);
