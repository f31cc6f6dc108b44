CREATE TABLE public.items (
    id integer PRIMARY KEY,
    a integer CONSTRAINT a_old NOT NULL,
    b integer CONSTRAINT b_old NOT NULL NO INHERIT,
    c integer CONSTRAINT c_old NOT NULL NO INHERIT
);
INSERT INTO public.items VALUES (1, 1, 2, 3);
