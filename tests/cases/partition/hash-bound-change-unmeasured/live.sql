CREATE TABLE public.sessions (id bigint NOT NULL, token text) PARTITION BY HASH (id);
CREATE TABLE public.sessions_0 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 0);
