CREATE TYPE public.ticket_status AS ENUM ('open', 'closed');
CREATE TABLE public.tickets (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'open', tags text[]);
INSERT INTO public.tickets VALUES (1, 'open', '{a}'), (2, 'closed', NULL);
