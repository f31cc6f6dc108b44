CREATE TABLE public.items (id serial PRIMARY KEY, name text);
CREATE TABLE public.keep (id bigserial PRIMARY KEY);
