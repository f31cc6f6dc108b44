DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE AGGREGATE public.collect(text) (SFUNC = array_append, STYPE = text[], INITCOND = '{}');
GRANT EXECUTE ON FUNCTION public.collect(text) TO anon;
CREATE AGGREGATE public.total(integer) (SFUNC = int4pl, STYPE = integer);
