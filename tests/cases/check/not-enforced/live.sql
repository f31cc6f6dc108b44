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
CREATE TABLE public.events (at date NOT NULL, parent_id integer) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE public.events_2026
    ADD CONSTRAINT events_2026_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.parent (id) NOT ENFORCED;
