CREATE TABLE public.profiles (id bigint PRIMARY KEY, user_id uuid NOT NULL UNIQUE, email text);
INSERT INTO public.profiles VALUES (1, '21a2151a-cd37-41d5-a1c7-124bb05e7a6a', 'a@example.com'), (2, gen_random_uuid(), 'b@example.com');
