CREATE TYPE public.user_role AS ENUM ('admin', 'user');
CREATE TABLE public.members (id bigint PRIMARY KEY, role public.user_role NOT NULL DEFAULT 'user');
INSERT INTO public.members VALUES (1, 'admin'), (2, 'user');
