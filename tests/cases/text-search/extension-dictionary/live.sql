-- A configuration that maps the dictionary of an extension the same plan creates (unaccent):
-- created after CREATE EXTENSION. The extension's own dictionary is none of the plan's business.
CREATE TABLE public.places (id bigint PRIMARY KEY, name text NOT NULL);
