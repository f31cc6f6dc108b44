CREATE TABLE public.conversations (id integer PRIMARY KEY, title text);
CREATE TABLE public.messages (id integer PRIMARY KEY, conversation_id integer NOT NULL REFERENCES public.conversations (id) ON DELETE CASCADE);
CREATE INDEX messages_conversation_id_idx ON public.messages (conversation_id);
INSERT INTO public.conversations VALUES (1, 'a'), (2, 'b');
INSERT INTO public.messages VALUES (1, 1), (2, 1), (3, 2);
