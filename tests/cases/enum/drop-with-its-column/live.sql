CREATE TYPE public.legacy_state AS ENUM ('NEW', 'OLD');
CREATE TABLE public.jobs (id bigint PRIMARY KEY, state public.legacy_state NOT NULL DEFAULT 'NEW');
INSERT INTO public.jobs VALUES (1, 'NEW'), (2, 'OLD');
