CREATE TABLE public.items (id integer PRIMARY KEY, name text, updated_at timestamptz);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER items_touch_insert BEFORE INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER items_when BEFORE UPDATE ON public.items FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION public.touch();
ALTER TABLE public.items DISABLE TRIGGER items_touch_insert;
