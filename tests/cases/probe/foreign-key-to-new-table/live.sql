-- A foreign key to a table the same plan creates: that table is empty, so only rows with a
-- NULL key can stay — here every key is NULL.
CREATE TABLE public.tickets (id bigint PRIMARY KEY, queue_id bigint);
INSERT INTO public.tickets VALUES (1, NULL), (2, NULL);
