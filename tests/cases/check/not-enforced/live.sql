CREATE TABLE public.parent (id integer PRIMARY KEY);
CREATE TABLE public.child (
    id integer PRIMARY KEY,
    parent_id integer,
    qty integer,
    CONSTRAINT qty_positive CHECK (qty > 0),
    CONSTRAINT qty_small CHECK (qty < 1000) NOT ENFORCED,
    CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.parent (id) NOT ENFORCED
);
INSERT INTO public.parent VALUES (1);
INSERT INTO public.child VALUES (1, 1, 5), (2, 7, 5000);
