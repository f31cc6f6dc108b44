CREATE DOMAIN public.old_code AS text CHECK (VALUE <> '');
CREATE TABLE public.things (id bigint PRIMARY KEY, code public.old_code);
INSERT INTO public.things VALUES (1, 'a');
