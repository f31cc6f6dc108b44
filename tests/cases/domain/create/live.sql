CREATE TABLE public.contacts (id bigint PRIMARY KEY, email text);
INSERT INTO public.contacts VALUES (1, 'a@example.com'), (2, NULL);
