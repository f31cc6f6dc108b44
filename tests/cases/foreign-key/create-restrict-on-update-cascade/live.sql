CREATE TABLE public.conversations (id bigint PRIMARY KEY, title text);
CREATE TABLE public.messages (id bigint PRIMARY KEY, conversation_id bigint);
INSERT INTO public.conversations VALUES (1, 'a'), (2, 'b');
INSERT INTO public.messages VALUES (1, 1), (2, 1), (3, 2), (4, NULL);
