CREATE FUNCTION public.score(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT n * 10$$;
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TABLE public.games (id integer PRIMARY KEY, points integer CONSTRAINT games_score_check CHECK (public.score(points) < 1000));
CREATE INDEX games_score_idx ON public.games (public.score(points));
ALTER TABLE public.games ENABLE ROW LEVEL SECURITY;
CREATE POLICY games_small ON public.games USING (public.score(points) < 500);
CREATE TRIGGER games_touch BEFORE UPDATE ON public.games FOR EACH ROW EXECUTE FUNCTION public.touch();
INSERT INTO public.games VALUES (1, 5), (2, 7);
