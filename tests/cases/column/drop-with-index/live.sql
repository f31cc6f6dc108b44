CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, legacy_code text);
CREATE INDEX users_legacy_code_idx ON public.users (legacy_code);
CREATE INDEX users_email_legacy_idx ON public.users (email, legacy_code);
INSERT INTO public.users VALUES (1, 'a@example.com', 'X1'), (2, 'b@example.com', NULL);
