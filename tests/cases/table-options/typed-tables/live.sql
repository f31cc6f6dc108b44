-- Typed tables (CREATE TABLE … OF type): one whose type gains and loses an attribute (the table's
-- columns follow through ALTER TYPE … CASCADE, and its own default on the new column comes after),
-- one that stops being typed to get a column of its own (NOT OF first), one plain table that
-- becomes typed (OF, once its columns are the type's), and a new typed table.
CREATE TYPE public.employee AS (name text, salary numeric, active boolean);
CREATE TYPE public.pair AS (a integer, b text);
CREATE TABLE public.staff OF public.employee (name WITH OPTIONS NOT NULL, salary WITH OPTIONS DEFAULT 1000);
CREATE TABLE public.legacy OF public.pair;
CREATE TABLE public.loose (a integer, b text);
INSERT INTO public.staff (name) VALUES ('ann'), ('bob');
INSERT INTO public.legacy VALUES (1, 'x');
