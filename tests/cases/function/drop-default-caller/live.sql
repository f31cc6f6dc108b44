-- A column default calls a function the declarations no longer have, and declares another
-- default: the new default is set before the function is dropped (the other way round fails).
CREATE FUNCTION public.next_code() RETURNS integer LANGUAGE sql AS $$SELECT 7$$;
CREATE TABLE public.tickets (id integer PRIMARY KEY, code integer DEFAULT public.next_code(), owner text);
INSERT INTO public.tickets (id) VALUES (1), (2);
