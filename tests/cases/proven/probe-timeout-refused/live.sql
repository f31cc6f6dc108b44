-- text → integer with no `convert:`, and a probe timeout of 1 ms that cannot read 200,000 rows:
-- the change is not proven, so the plan is refused and names the ways out.
CREATE TABLE public.events (id integer PRIMARY KEY, score text);
INSERT INTO public.events SELECT i, (i % 1000)::text FROM generate_series(1, 200000) AS i;
