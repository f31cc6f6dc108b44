-- Reorder labels (their sort order): PostgreSQL cannot, so the type is rebuilt and the column,
-- its default and an index move to it; every row keeps its label.
CREATE TYPE public.priority AS ENUM ('high', 'low', 'medium');
CREATE TABLE public.tasks (id integer PRIMARY KEY, priority public.priority NOT NULL DEFAULT 'medium');
CREATE INDEX tasks_priority_idx ON public.tasks (priority);
INSERT INTO public.tasks SELECT i, (ARRAY['high', 'low', 'medium'])[1 + i % 3]::public.priority FROM generate_series(1, 3000) AS i;
