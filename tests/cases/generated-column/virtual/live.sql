-- PostgreSQL 18's virtual generated columns: computed when read, nothing stored.
CREATE TABLE public.items (
    id bigint PRIMARY KEY,
    price integer NOT NULL,
    qty integer NOT NULL,
    stored_total integer GENERATED ALWAYS AS (price * qty) STORED,
    doubled integer GENERATED ALWAYS AS (price * 3) VIRTUAL,
    label text GENERATED ALWAYS AS ('item ' || id) VIRTUAL,
    kept integer GENERATED ALWAYS AS (qty + 1) VIRTUAL
);
INSERT INTO public.items (id, price, qty) VALUES (1, 10, 2);
