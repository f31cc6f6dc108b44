CREATE TABLE public.profiles (id bigint PRIMARY KEY, email text NOT NULL);
INSERT INTO public.profiles VALUES (1, 'a@example.com'), (2, 'bob@example.org');
