-- Only a superuser may own an event trigger.
DO $$ BEGIN CREATE ROLE ddl_owner NOLOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN RAISE NOTICE 'ddl'; END$$;
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl();
CREATE EVENT TRIGGER keeps_owner ON sql_drop EXECUTE FUNCTION public.log_ddl();
