-- The same narrowing, but 2 of the 300 values are longer than 20 characters: refused with the
-- count (the values themselves only with --show-values), and nothing runs.
CREATE TABLE public.accounts (id integer PRIMARY KEY, tier text NOT NULL);
INSERT INTO public.accounts SELECT i, (ARRAY['free', 'pro', 'enterprise-annual'])[1 + i % 3] FROM generate_series(1, 298) AS i;
INSERT INTO public.accounts VALUES (299, 'enterprise-annual-with-support'), (300, 'enterprise-monthly-with-support');
