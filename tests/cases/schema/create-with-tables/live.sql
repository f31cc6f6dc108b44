CREATE TABLE public.accounts (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO public.accounts VALUES (1, 'acme'), (2, 'globex');
