CREATE TABLE public.event_log (id bigint PRIMARY KEY, payload jsonb);
INSERT INTO public.event_log VALUES (1, '{"a": 1}');
