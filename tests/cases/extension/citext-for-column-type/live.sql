CREATE TABLE public.users (id bigint PRIMARY KEY);
INSERT INTO public.users VALUES (1), (2);
