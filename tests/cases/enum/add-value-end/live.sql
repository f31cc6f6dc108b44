CREATE TYPE public.message_role AS ENUM ('user', 'assistant', 'system');
