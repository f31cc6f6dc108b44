CREATE TABLE public.events (
    id integer NOT NULL,
    region text CONSTRAINT events_region_required NOT NULL,
    note text
) PARTITION BY LIST (region);
-- made by PARTITION OF: its NOT NULLs carry the table's names
CREATE TABLE public.events_eu PARTITION OF public.events FOR VALUES IN ('eu');
-- attached: it keeps the names it had as a table
CREATE TABLE public.events_us (
    id integer CONSTRAINT events_us_id_custom NOT NULL,
    region text NOT NULL,
    note text CONSTRAINT events_us_note_mine NOT NULL
);
ALTER TABLE public.events ATTACH PARTITION public.events_us FOR VALUES IN ('us');
-- an ordinary table, to be attached
CREATE TABLE public.events_uk (
    id integer CONSTRAINT events_uk_id_old NOT NULL,
    region text NOT NULL,
    note text
);
INSERT INTO public.events_uk VALUES (1, 'uk', NULL);
