CREATE DOMAIN public.score AS integer DEFAULT 0 CONSTRAINT score_range CHECK (VALUE BETWEEN 0 AND 10) CONSTRAINT score_old CHECK (VALUE <> 7);
CREATE DOMAIN public.label AS text;
ALTER DOMAIN public.label ADD CONSTRAINT label_short CHECK (length(VALUE) < 20) NOT VALID;
CREATE TABLE public.results (id bigint PRIMARY KEY, score public.score, tag public.label);
INSERT INTO public.results VALUES (1, 3, 'x'), (2, 9, NULL);
