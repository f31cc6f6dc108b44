-- Under NULLS NOT DISTINCT a NULL equals a NULL: rows without an email (or a handle) are
-- duplicates, and the plan says so (and refuses) instead of failing at apply. So are the rows
-- of a column the plan adds (NULL in every row) as soon as there are two.
CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text, handle text);
INSERT INTO public.accounts VALUES (1, 'a@x', NULL), (2, NULL, 'bo'), (3, NULL, NULL);
CREATE TABLE public.codes (id bigint PRIMARY KEY);
INSERT INTO public.codes VALUES (1), (2);
