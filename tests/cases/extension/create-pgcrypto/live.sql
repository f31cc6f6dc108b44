CREATE TABLE public.secrets (id bigint PRIMARY KEY, digest bytea);
