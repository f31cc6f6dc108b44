CREATE TABLE public.items (
    id integer PRIMARY KEY,
    qty integer,
    price integer,
    code text,
    note text CONSTRAINT note_nn NOT NULL NO INHERIT,
    kept text
);
INSERT INTO public.items VALUES (1, NULL, 10, 'a', 'x', NULL), (2, 3, 20, 'b', 'y', 'k');
ALTER TABLE public.items ADD CONSTRAINT code_nn NOT NULL code NOT VALID;
ALTER TABLE public.items ADD NOT NULL kept NOT VALID;
CREATE TABLE public.base (id integer CONSTRAINT base_id_nn NOT NULL NO INHERIT, label text NOT NULL);
CREATE TABLE public.derived (extra text) INHERITS (public.base);
