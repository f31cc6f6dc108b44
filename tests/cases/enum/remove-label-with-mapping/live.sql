-- Remove the label 'archived' (its rows become 'closed') from an enum that 10,000 rows, an array
-- column, a default, a CHECK, a view and a policy use: the type is rebuilt, every reader is
-- re-created around the conversion, and the rows keep their labels ('archived' → 'closed').
CREATE TYPE public.ticket_status AS ENUM ('open', 'pending', 'archived', 'closed');
CREATE TABLE public.tickets (
    id integer PRIMARY KEY,
    status public.ticket_status NOT NULL DEFAULT 'open',
    history public.ticket_status[],
    CONSTRAINT tickets_not_pending_forever CHECK (status <> 'pending' OR id > 0)
);
INSERT INTO public.tickets
SELECT i, (ARRAY['open', 'pending', 'archived', 'closed'])[1 + i % 4]::public.ticket_status,
       ARRAY['open', (ARRAY['pending', 'archived'])[1 + i % 2]]::public.ticket_status[]
FROM generate_series(1, 10000) AS i;
ALTER TABLE public.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tickets_open_only ON public.tickets FOR SELECT USING (status = 'open');
CREATE VIEW public.open_tickets AS SELECT id, status FROM public.tickets WHERE status = 'open';
