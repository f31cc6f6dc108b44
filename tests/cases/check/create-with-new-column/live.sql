CREATE TABLE public.user_profiles (id text PRIMARY KEY);
INSERT INTO public.user_profiles VALUES ('a'), ('b');
