-- 30 values were drawn: the new maximum (20) leaves out the last one. PostgreSQL would refuse
-- the ALTER, and restarting would draw 1..20 again, which rows may hold.
CREATE TABLE public.tickets (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text);
INSERT INTO public.tickets (title) SELECT 't' || g FROM generate_series(1, 30) AS g;
