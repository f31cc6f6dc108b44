CREATE TYPE public.address AS (street text, zip varchar(5), fax text);
CREATE TYPE public.point3 AS (x integer, y integer);
CREATE TABLE public.customers (id bigint PRIMARY KEY, at public.point3);
INSERT INTO public.customers VALUES (1, ROW(1, 2));
