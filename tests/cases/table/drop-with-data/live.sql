CREATE TABLE public.keep (id bigint PRIMARY KEY);
CREATE TABLE public.old_sessions (id bigint PRIMARY KEY, token text NOT NULL, created_at timestamptz DEFAULT now());
CREATE INDEX old_sessions_token_idx ON public.old_sessions (token);
INSERT INTO public.old_sessions (id, token) SELECT g, md5(g::text) FROM generate_series(1, 25) g;
