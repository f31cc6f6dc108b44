-- A UNIQUE on a column converted in the same plan is checked on the converted values:
-- 1.4 and 2.6 round to 1 and 3, distinct.
CREATE TABLE public.slots (id bigint PRIMARY KEY, position numeric);
INSERT INTO public.slots VALUES (1, 1.4), (2, 2.6), (3, NULL), (4, NULL);
