CREATE TABLE public.events (id bigint PRIMARY KEY, kind text, body text)
    WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.2);
INSERT INTO public.events VALUES (1, 'a', 'x');
