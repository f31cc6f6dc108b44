CREATE TABLE public.items (id integer PRIMARY KEY, price integer, updated_at timestamptz);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
CREATE TRIGGER items_price BEFORE UPDATE OF price ON public.items FOR EACH ROW
    WHEN (OLD.price IS DISTINCT FROM NEW.price) EXECUTE FUNCTION public.touch();
INSERT INTO public.items VALUES (1, 10, NULL);
