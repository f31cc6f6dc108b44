CREATE TABLE public.tasks (id int NOT NULL, team text NOT NULL, points int) PARTITION BY LIST (team);
CREATE TABLE public.tasks_core PARTITION OF public.tasks FOR VALUES IN ('core');
-- A policy of the partition's own reads the column the plan retypes: PostgreSQL refuses the
-- retype (recursing to the partition) while it exists.
ALTER TABLE public.tasks_core ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_core_scored ON public.tasks_core FOR SELECT USING (points > 0);
INSERT INTO public.tasks VALUES (1, 'core', 3);
