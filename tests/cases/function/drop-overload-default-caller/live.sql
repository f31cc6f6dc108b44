-- A column default calls f(1), which resolves to the overload f(integer, integer). The
-- declarations replace that overload by f(integer, text) and keep the default's text: the old
-- function cannot be dropped while the default uses it, so the default is dropped first and set
-- again once the new overload exists (it then calls that one).
CREATE FUNCTION public.code_for(n integer, step integer DEFAULT 43) RETURNS integer
  LANGUAGE sql AS $$SELECT n + step$$;
CREATE TABLE public.tickets (id integer PRIMARY KEY, code integer DEFAULT public.code_for(1));
INSERT INTO public.tickets (id) VALUES (1), (2);
