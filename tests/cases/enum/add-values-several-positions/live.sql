CREATE TYPE public.level AS ENUM ('low', 'high');
