-- A foreign key may reference columns through a unique index with an ordering (b DESC). When the
-- plan drops both, the foreign key must go first: PostgreSQL refuses to drop an index a foreign
-- key depends on.
CREATE TABLE public.plans (a integer NOT NULL, b integer NOT NULL, label text);
CREATE UNIQUE INDEX plans_a_b_idx ON public.plans (a, b DESC);
CREATE TABLE public.subscriptions (id integer PRIMARY KEY, a integer, b integer,
    CONSTRAINT subscriptions_plan_fkey FOREIGN KEY (a, b) REFERENCES public.plans (a, b));
