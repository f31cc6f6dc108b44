-- A column that a publication's column list or row filter names cannot be dropped while the
-- publication names it: the publication is narrowed (or dropped) first.
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, body text, flagged boolean, kind text);
CREATE PUBLICATION notes_pub FOR TABLE app.notes (id, body, kind);
CREATE PUBLICATION flagged_notes FOR TABLE app.notes WHERE (flagged) WITH (publish = 'insert');
