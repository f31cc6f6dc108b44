CREATE TYPE public.user_role AS ENUM ('sysadmin', 'admin', 'user');
CREATE TABLE public.items (id bigint PRIMARY KEY, role public.user_role NOT NULL DEFAULT 'admin');
INSERT INTO public.items (id) VALUES (1), (2);
