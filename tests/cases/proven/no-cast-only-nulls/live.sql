-- bigint has no cast to timestamp. A column holding nothing but NULL (or a table with no rows)
-- loses nothing, so the probe's proof stands in for `convert:`; a value written since planning
-- makes the USING raise under the lock.
CREATE TABLE public.events (id integer PRIMARY KEY, happened bigint, checked bigint);
INSERT INTO public.events VALUES (1, NULL, NULL), (2, NULL, NULL);
CREATE TABLE public.empty (id integer PRIMARY KEY, created bigint);
