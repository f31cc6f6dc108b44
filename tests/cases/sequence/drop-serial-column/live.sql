CREATE TABLE public.items (id bigint PRIMARY KEY, position serial);
