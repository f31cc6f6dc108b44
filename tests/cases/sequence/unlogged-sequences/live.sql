CREATE SEQUENCE public.ticket_seq;
CREATE UNLOGGED SEQUENCE public.batch_seq START 7;
CREATE TABLE public.events (id serial PRIMARY KEY, note text);
CREATE TABLE public.scratch (id int, n int);
CREATE SEQUENCE public.scratch_n_seq OWNED BY public.scratch.n;
CREATE SEQUENCE public.scratch_id_seq OWNED BY public.scratch.id;
SELECT nextval('public.batch_seq');
