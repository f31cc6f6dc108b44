CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, legacy_score integer);
INSERT INTO public.users VALUES (1, 'a@example.com', 10), (2, 'b@example.com', NULL), (3, 'c@example.com', 7);
