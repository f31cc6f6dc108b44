CREATE TABLE public.profiles (id uuid PRIMARY KEY, email text NOT NULL);
