-- Collations: one created and used by a new column, one whose definition changes (nothing uses
-- it: dropped and created again), one commented, one undeclared (dropped).
CREATE COLLATION public.sortable (provider = libc, locale = 'C');
CREATE COLLATION public.spoken (provider = icu, locale = 'en-US');
CREATE COLLATION public.leftover (provider = libc, lc_collate = 'C', lc_ctype = 'C');
CREATE TABLE public.people (id bigint PRIMARY KEY, name text COLLATE public.sortable);
INSERT INTO public.people VALUES (1, 'Ann');
