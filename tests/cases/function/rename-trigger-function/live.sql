CREATE TABLE public.items (id integer PRIMARY KEY, updated_at timestamptz);
CREATE FUNCTION public.items_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
CREATE TRIGGER items_updated_at BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION public.items_touch();
