CREATE TABLE public.audit_logs (id bigint PRIMARY KEY, resource text NOT NULL);
INSERT INTO public.audit_logs VALUES (1, 'profile'), (2, 'message');
