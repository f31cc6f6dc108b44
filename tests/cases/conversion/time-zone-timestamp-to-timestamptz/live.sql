CREATE TABLE public.audit_logs (id integer PRIMARY KEY, created_at timestamp NOT NULL DEFAULT now());
INSERT INTO public.audit_logs VALUES (1, '2024-03-10 12:00:00'), (2, '2024-07-01 23:30:00');
