CREATE TYPE public.ticket_status AS ENUM ('open', 'closed');
