CREATE TABLE public.profiles (id uuid NOT NULL, email text);
INSERT INTO public.profiles VALUES ('21a2151a-cd37-41d5-a1c7-124bb05e7a6a', 'a@example.com'), (gen_random_uuid(), 'b@example.com');
