CREATE SEQUENCE public.ticket_no AS integer START WITH 1000;
SELECT nextval('public.ticket_no') FROM generate_series(1, 5);
COMMENT ON SEQUENCE public.ticket_no IS 'Tickets';
