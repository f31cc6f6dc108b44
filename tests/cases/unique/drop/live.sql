CREATE TABLE public.profiles (id bigint PRIMARY KEY, cancellation_token text UNIQUE);
INSERT INTO public.profiles VALUES (1, 'tok1'), (2, NULL);
