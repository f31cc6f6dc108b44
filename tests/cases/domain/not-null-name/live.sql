CREATE DOMAIN public.positive AS integer CONSTRAINT positive_required NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN public.code AS text NOT NULL;
CREATE DOMAIN public.label AS text;
