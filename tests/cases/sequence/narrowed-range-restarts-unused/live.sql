-- Nothing was ever drawn from either counter: each stands at its start, which the new range
-- leaves out (PostgreSQL refuses the ALTER then). Restarting them loses nothing.
CREATE TABLE public.tickets (id integer GENERATED ALWAYS AS IDENTITY (START WITH 100 MAXVALUE 1000) PRIMARY KEY, title text);
CREATE SEQUENCE public.batch_no START WITH 1 MINVALUE 1;
-- This one has drawn 3 values, all inside the new range: narrowed without a restart.
CREATE SEQUENCE public.run_no MAXVALUE 1000;
SELECT nextval('public.run_no'), nextval('public.run_no'), nextval('public.run_no');
