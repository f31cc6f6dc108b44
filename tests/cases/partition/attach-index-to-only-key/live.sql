CREATE TABLE public.tickets (id int NOT NULL, desk text NOT NULL) PARTITION BY LIST (desk);
CREATE TABLE public.tickets_front PARTITION OF public.tickets FOR VALUES IN ('front');
CREATE TABLE public.tickets_back PARTITION OF public.tickets FOR VALUES IN ('back');
-- The key is made on the table alone: it stays invalid until each partition has one attached.
ALTER TABLE ONLY public.tickets ADD CONSTRAINT tickets_pk PRIMARY KEY (desk, id);
CREATE UNIQUE INDEX tickets_front_key ON public.tickets_front (desk, id);
INSERT INTO public.tickets VALUES (1, 'front'), (2, 'back');
