CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN RAISE NOTICE 'ddl'; END$$;
CREATE FUNCTION public.old_guard() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN NULL; END$$;
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl();
CREATE EVENT TRIGGER guard ON sql_drop EXECUTE FUNCTION public.old_guard();
CREATE EVENT TRIGGER tag_filter ON ddl_command_start WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.log_ddl();
