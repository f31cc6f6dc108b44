-- PostgreSQL cannot rewrite a table whose row type a column of another table uses.
CREATE TABLE public.points (x integer NOT NULL, y integer NOT NULL);
CREATE TABLE public.shapes (id bigint PRIMARY KEY, origin public.points, corners public.points[]);
