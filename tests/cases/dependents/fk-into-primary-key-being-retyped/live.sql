CREATE TABLE public.conversations (id integer PRIMARY KEY);
CREATE TABLE public.messages (id integer PRIMARY KEY, conversation_id integer REFERENCES public.conversations (id) ON DELETE CASCADE);
INSERT INTO public.conversations VALUES (1), (2);
INSERT INTO public.messages VALUES (1, 1), (2, 2);
