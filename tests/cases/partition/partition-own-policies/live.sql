CREATE TABLE public.notes (id int NOT NULL, owner text NOT NULL, body text) PARTITION BY LIST (owner);
CREATE TABLE public.notes_team PARTITION OF public.notes FOR VALUES IN ('team');
CREATE TABLE public.notes_solo PARTITION OF public.notes FOR VALUES IN ('solo');
-- Policies of a partition's own apply when the partition is queried directly.
ALTER TABLE public.notes_team ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_team_read ON public.notes_team FOR SELECT USING (body IS NOT NULL);
CREATE POLICY notes_team_gone ON public.notes_team FOR DELETE USING (false);
CREATE POLICY notes_team_write ON public.notes_team FOR INSERT WITH CHECK (true);
INSERT INTO public.notes VALUES (1, 'team', 'a'), (2, 'solo', 'b');
