CREATE TABLE public.messages (id bigint PRIMARY KEY, role varchar(20) NOT NULL,
  CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'system')));
INSERT INTO public.messages VALUES (1, 'user'), (2, 'system');
