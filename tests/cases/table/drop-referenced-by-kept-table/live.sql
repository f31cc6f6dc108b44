CREATE TABLE public.categories (id bigint PRIMARY KEY, name text);
CREATE TABLE public.products (id bigint PRIMARY KEY, category_id bigint REFERENCES public.categories (id));
INSERT INTO public.categories VALUES (1, 'books');
INSERT INTO public.products VALUES (1, 1), (2, NULL);
