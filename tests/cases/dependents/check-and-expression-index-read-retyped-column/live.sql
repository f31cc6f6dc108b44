CREATE TABLE public.events (id integer PRIMARY KEY, score integer CONSTRAINT events_score_check CHECK (score >= 0), code varchar(8));
CREATE INDEX events_score_idx ON public.events ((score * 2)) WHERE score > 10;
INSERT INTO public.events VALUES (1, 5, 'a'), (2, 50, 'b');
