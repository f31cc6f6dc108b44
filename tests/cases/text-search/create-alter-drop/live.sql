-- Text search objects: a dictionary whose options change, one re-created (its template
-- changes, so the configuration mapping it is re-created too), one undeclared (dropped with the
-- configuration that maps it, after the undeclared index that uses that configuration); a
-- configuration whose mappings change in place; a new configuration that a new index uses
-- (created before the index).
CREATE TEXT SEARCH DICTIONARY public.english_nostop (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH DICTIONARY public.plain (TEMPLATE = simple, stopwords = 'english');
CREATE TEXT SEARCH DICTIONARY public.names (TEMPLATE = simple);
CREATE TEXT SEARCH DICTIONARY public.leftover (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION public.docs (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION public.docs ADD MAPPING FOR asciiword, word WITH public.english_nostop;
ALTER TEXT SEARCH CONFIGURATION public.docs ADD MAPPING FOR numword WITH simple;
CREATE TEXT SEARCH CONFIGURATION public.people (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION public.people ADD MAPPING FOR asciiword WITH public.names;
CREATE TEXT SEARCH CONFIGURATION public.old_search (COPY = public.docs);
ALTER TEXT SEARCH CONFIGURATION public.old_search ALTER MAPPING FOR asciiword WITH public.leftover;
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
INSERT INTO public.notes VALUES (1, 'Running notes');
CREATE INDEX notes_old_search_idx ON public.notes USING gin (to_tsvector('public.old_search'::regconfig, body));
