CREATE TABLE public.people (id bigint PRIMARY KEY, name text, name_upper text);
INSERT INTO public.people VALUES (1, 'ada', 'stale');
