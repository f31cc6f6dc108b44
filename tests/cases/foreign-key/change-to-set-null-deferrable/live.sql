CREATE TABLE public.users (id bigint PRIMARY KEY, public_id uuid NOT NULL UNIQUE);
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_id bigint REFERENCES public.users (id));
INSERT INTO public.users VALUES (1, gen_random_uuid());
INSERT INTO public.posts VALUES (1, 1), (2, NULL);
