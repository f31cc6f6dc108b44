CREATE TABLE public.conversations (id bigint PRIMARY KEY, title text);
CREATE TABLE public.messages (id bigint PRIMARY KEY, conversation_id bigint REFERENCES public.conversations (id) ON DELETE CASCADE);
INSERT INTO public.conversations VALUES (1, 'hello');
INSERT INTO public.messages VALUES (1, 1), (2, 1);
