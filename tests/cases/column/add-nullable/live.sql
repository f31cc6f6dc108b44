CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);
INSERT INTO public.users VALUES (1, 'a@example.com'), (2, 'b@example.com');
