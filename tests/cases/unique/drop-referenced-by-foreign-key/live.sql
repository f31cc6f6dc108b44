CREATE TABLE public.users (id bigint PRIMARY KEY, handle text NOT NULL UNIQUE);
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_handle text REFERENCES public.users (handle));
INSERT INTO public.users VALUES (1, 'ann');
INSERT INTO public.posts VALUES (1, 'ann');
