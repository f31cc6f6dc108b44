CREATE TABLE public.users (id integer PRIMARY KEY, name text);
CREATE VIEW public.barrier WITH (security_barrier = true) AS SELECT id, name FROM public.users;
CREATE VIEW public.explicit WITH (security_barrier = false) AS SELECT id, name FROM public.users;
CREATE VIEW public.plain AS SELECT id, name FROM public.users;
