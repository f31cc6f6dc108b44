-- A column may hold a whole row of another table: its type is the table's row type.
CREATE TABLE public.points (x integer NOT NULL, y integer NOT NULL);
CREATE TABLE public.shapes (id bigint PRIMARY KEY, name text);
INSERT INTO public.shapes VALUES (1, 'unit');
