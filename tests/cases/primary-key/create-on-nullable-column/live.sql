CREATE TABLE public.profiles (id uuid, email text);
INSERT INTO public.profiles VALUES (gen_random_uuid(), 'a@example.com');
