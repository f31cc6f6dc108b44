-- Columns named after words sqlglot (the expression parser) reads as keywords or statements,
-- all ordinary names to PostgreSQL.
CREATE TABLE public.jobs (
    id bigint PRIMARY KEY,
    "while" integer NOT NULL,
    "vacuum" boolean,
    "set" text,
    "comment" text,
    "if" integer,
    "values" integer,
    "xor" integer,
    CONSTRAINT jobs_if_positive CHECK ("if" > 0)
);
CREATE INDEX jobs_set_idx ON public.jobs ("set") WHERE "vacuum";
INSERT INTO public.jobs VALUES (1, 0, true, 'a', 'First', 1, 5, 0), (2, 3, NULL, 'b', NULL, 2, 7, 1);
