CREATE TABLE public.accounts (
    id integer CONSTRAINT accounts_id_required NOT NULL PRIMARY KEY,
    email text CONSTRAINT email_required NOT NULL,
    nickname text,
    plan text NOT NULL
);
INSERT INTO public.accounts VALUES (1, 'a@x', 'al', 'free');
