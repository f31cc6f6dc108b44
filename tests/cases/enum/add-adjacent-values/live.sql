CREATE TYPE public.risk AS ENUM ('low', 'high');
