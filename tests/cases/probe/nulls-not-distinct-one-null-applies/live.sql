-- Under NULLS NOT DISTINCT one NULL is a key like any other: no duplicates, so the plan
-- applies. A column the plan adds is NULL in every row: two rows would be duplicates there.
CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text, handle text);
INSERT INTO public.accounts VALUES (1, 'a@x', NULL), (2, NULL, 'bo');
CREATE TABLE public.empty_one (id bigint PRIMARY KEY);
INSERT INTO public.empty_one VALUES (1);
