CREATE TABLE public.messages (id bigint PRIMARY KEY, role varchar(20) NOT NULL CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant')));
CREATE INDEX messages_role_idx ON public.messages (role) WHERE role <> 'user';
INSERT INTO public.messages VALUES (1, 'user'), (2, 'assistant');
