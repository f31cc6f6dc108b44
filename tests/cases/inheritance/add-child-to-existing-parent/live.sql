CREATE SCHEMA app;
CREATE TABLE app.items (id bigint NOT NULL, title text NOT NULL, CONSTRAINT items_title_not_blank CHECK (title <> ''));
CREATE TABLE app.books (id bigint, isbn text NOT NULL);
INSERT INTO app.books VALUES (1, '0123456789');
