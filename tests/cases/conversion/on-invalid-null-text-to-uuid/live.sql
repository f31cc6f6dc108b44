CREATE TABLE public.sessions (id uuid PRIMARY KEY);
CREATE TABLE public.chats (id integer PRIMARY KEY, session_id varchar(64));
INSERT INTO public.sessions VALUES ('0b7d5a4e-7c5b-4a56-9f0f-0d8f2f6a1c01');
INSERT INTO public.chats VALUES (1, '0b7d5a4e-7c5b-4a56-9f0f-0d8f2f6a1c01'), (2, 'not-a-uuid'), (3, NULL), (4, '0B7D5A4E-7C5B-4A56-9F0F-0D8F2F6A1C01');
