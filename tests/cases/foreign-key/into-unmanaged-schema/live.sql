CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
CREATE TABLE auth.sessions (id bigint PRIMARY KEY, user_id uuid REFERENCES auth.users (id));
INSERT INTO auth.users VALUES ('21a2151a-cd37-41d5-a1c7-124bb05e7a6a', 'a@example.com');
CREATE TABLE public.profiles (id uuid PRIMARY KEY, nickname text);
INSERT INTO public.profiles VALUES ('21a2151a-cd37-41d5-a1c7-124bb05e7a6a', 'ann');
