CREATE TYPE public.legacy_state AS ENUM ('NEW', 'OLD');
CREATE TYPE public.user_role AS ENUM ('admin', 'user');
