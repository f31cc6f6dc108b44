CREATE UNLOGGED TABLE public.cache (key text PRIMARY KEY, value text) WITH (fillfactor = 50);
CREATE TABLE public.audit (id bigint PRIMARY KEY, code text COLLATE "C");
INSERT INTO public.cache VALUES ('k', 'v');
