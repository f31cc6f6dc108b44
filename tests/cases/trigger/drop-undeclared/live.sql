CREATE TABLE public.items (id integer PRIMARY KEY, updated_at timestamptz);
CREATE TABLE public.gone (id integer PRIMARY KEY);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER gone_touch BEFORE UPDATE ON public.gone FOR EACH ROW EXECUTE FUNCTION public.touch();
