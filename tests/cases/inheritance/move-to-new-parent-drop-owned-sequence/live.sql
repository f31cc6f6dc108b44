-- A child leaves its parent for a new one, and the old parent drops its serial column. The child's
-- copy of that column (its own after NO INHERIT) draws from the old parent's sequence, which the
-- column's drop takes along: the child's default moves to the new parent's sequence first, and
-- the child does not follow the drop (it is unlinked before it). The new parent is linked before the
-- old one is unlinked, so that `id` stays a column the child only inherits (rows.sql: not local);
-- unlinked first, it would be the child's own, and INHERIT would merge into it.
CREATE SCHEMA app;
CREATE TABLE app.items (id bigserial NOT NULL, title text);
CREATE TABLE app.books (isbn text) INHERITS (app.items);
INSERT INTO app.books (title, isbn) VALUES ('a', '1'), ('b', '2');
