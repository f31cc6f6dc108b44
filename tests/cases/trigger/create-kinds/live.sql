CREATE TABLE public.items (id integer PRIMARY KEY, name text, price numeric, updated_at timestamptz);
CREATE VIEW public.item_names AS SELECT id, name FROM public.items;
