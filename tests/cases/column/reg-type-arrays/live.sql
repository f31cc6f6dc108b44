-- Arrays of object-identifier types (regclass[], regtype[], oid[]): sqlglot reads no array of
-- them, PostgreSQL takes them in defaults and checks alike.
CREATE TABLE public.watches (
    id bigint PRIMARY KEY,
    relations regclass[] NOT NULL,
    kinds regtype[] DEFAULT '{}'::regtype[],
    owners oid[],
    procs regproc[],
    CONSTRAINT watches_few_relations CHECK (cardinality(relations) < 10 AND relations <> '{pg_class}'::regclass[])
);
INSERT INTO public.watches VALUES (1, '{pg_namespace}', '{integer}', '{10}', '{now}'), (2, '{}', '{}', NULL, NULL);
