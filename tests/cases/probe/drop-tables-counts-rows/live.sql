-- Two dropped tables: one with rows (counted exactly), one empty.
CREATE TABLE public.keep (id bigint PRIMARY KEY);
CREATE TABLE public.audit_log (id bigint PRIMARY KEY, message text);
INSERT INTO public.audit_log SELECT g, 'event ' || g FROM generate_series(1, 1204) AS g;
CREATE TABLE public.scratch (id bigint);
