-- Several probes of one table (two drops, a NOT NULL, a CHECK) are answered by one scan.
CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text, legacy_code text, legacy_flag boolean, balance numeric);
INSERT INTO public.accounts
SELECT g, 'user' || g || '@example.com', CASE WHEN g % 4 = 0 THEN 'L' || g END, g % 2 = 0, g * 1.5
FROM generate_series(1, 250) AS g;
