CREATE TABLE public.people (id bigint PRIMARY KEY, name text, name_upper text GENERATED ALWAYS AS (upper(name)) STORED);
INSERT INTO public.people (id, name) VALUES (1, 'ada');
