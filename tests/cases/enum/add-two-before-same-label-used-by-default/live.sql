CREATE TYPE public.risk AS ENUM ('low', 'high');
CREATE TABLE public.assessments (id integer PRIMARY KEY, level public.risk);
INSERT INTO public.assessments VALUES (1, 'low'), (2, 'high');
