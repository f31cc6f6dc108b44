CREATE TABLE public.user_profiles (id text PRIMARY KEY, user_id text NOT NULL);
INSERT INTO public.user_profiles VALUES ('a', '1001'), ('b', '1002');
