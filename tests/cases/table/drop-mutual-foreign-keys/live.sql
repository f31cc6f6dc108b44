CREATE TABLE public.keep (id bigint PRIMARY KEY);
CREATE TABLE public.teams (id bigint PRIMARY KEY, captain_id bigint);
CREATE TABLE public.players (id bigint PRIMARY KEY, team_id bigint REFERENCES public.teams (id));
ALTER TABLE public.teams ADD CONSTRAINT teams_captain_id_fkey FOREIGN KEY (captain_id) REFERENCES public.players (id);
INSERT INTO public.teams VALUES (1, NULL);
INSERT INTO public.players VALUES (10, 1), (11, 1);
UPDATE public.teams SET captain_id = 10;
