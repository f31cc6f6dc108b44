-- Type changes PostgreSQL casts by itself, over values that all convert: numeric → integer
-- (lossy: rounds), bigint → integer, varchar(50) → varchar(10), with trailing spaces cut.
CREATE TABLE public.items (id bigint PRIMARY KEY, qty numeric, views bigint, code character varying(50));
INSERT INTO public.items VALUES (1, 2.4, 100, 'AB-1'), (2, 7, 2147483647, 'CD-22     '), (3, NULL, NULL, NULL), (4, -3.5, -2147483648, 'EFG-333');
