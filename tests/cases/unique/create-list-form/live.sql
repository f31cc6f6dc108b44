CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text, handle text);
