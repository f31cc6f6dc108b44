CREATE TABLE public.accounts (id integer NOT NULL, email text, name text,
    CONSTRAINT accounts_pkey PRIMARY KEY (id) WITH (fillfactor = 90),
    CONSTRAINT accounts_email_key UNIQUE (email));
