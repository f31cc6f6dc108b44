-- `tier text` narrowed to varchar(20) with no `convert:`: every one of the 300 values fits, so
-- the probe proves the change and the plan says so.
CREATE TABLE public.accounts (id integer PRIMARY KEY, tier text NOT NULL);
INSERT INTO public.accounts SELECT i, (ARRAY['free', 'pro', 'enterprise-annual'])[1 + i % 3] FROM generate_series(1, 300) AS i;
