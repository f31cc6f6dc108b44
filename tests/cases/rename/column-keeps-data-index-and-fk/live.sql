CREATE TABLE public.users (uid integer PRIMARY KEY, full_name text);
CREATE TABLE public.posts (id integer PRIMARY KEY, author integer REFERENCES public.users (uid), title text CHECK (length(title) > 0));
CREATE INDEX posts_author_idx ON public.posts (author);
CREATE INDEX users_name_idx ON public.users (lower(full_name));
INSERT INTO public.users VALUES (1, 'Ada'), (2, 'Grace');
INSERT INTO public.posts VALUES (10, 1, 'Notes'), (11, 2, 'Compilers');
