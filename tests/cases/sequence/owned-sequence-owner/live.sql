DO $$ BEGIN CREATE ROLE app_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
-- A serial's sequence, linked to its column: it follows the table's owner.
CREATE TABLE public.orders (id serial PRIMARY KEY);
-- A table that has its owner already, and gets a new linked sequence.
CREATE TABLE public.items (id bigint PRIMARY KEY, item_no bigint);
ALTER TABLE public.items OWNER TO app_owner;
