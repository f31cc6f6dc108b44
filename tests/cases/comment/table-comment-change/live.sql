CREATE TABLE public.profiles (id uuid PRIMARY KEY, email text NOT NULL);
COMMENT ON TABLE public.profiles IS 'Profiles.';
