CREATE TABLE public.contacts (id bigint PRIMARY KEY, email text NOT NULL, phone text, country char(2) NOT NULL, born_on date);
INSERT INTO public.contacts VALUES (1, 'a@example.com', '+15550100', 'US', '1990-05-01'), (2, 'b@example.org', NULL, 'DE', NULL);
