-- Planner settings of columns: a statistics target changed, one reset to the default, one set;
-- attribute options changed, removed and set; a new column and a new table with both (neither
-- CREATE TABLE nor ADD COLUMN can write them, so they are set after).
CREATE TABLE public.events (
  id integer PRIMARY KEY,
  kind text,
  account integer,
  region text
);
ALTER TABLE public.events ALTER COLUMN kind SET STATISTICS 100,
  ALTER COLUMN account SET STATISTICS 400,
  ALTER COLUMN account SET (n_distinct = -0.70, n_distinct_inherited = 1),
  ALTER COLUMN region SET (n_distinct = 50);
INSERT INTO public.events VALUES (1, 'a', 1, 'eu');
