CREATE TABLE public.accounts (id bigint PRIMARY KEY, code text NOT NULL);
INSERT INTO public.accounts VALUES (1, 'a'), (2, 'b');
