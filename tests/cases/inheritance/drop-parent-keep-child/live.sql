CREATE SCHEMA app;
CREATE TABLE app.items (id bigint NOT NULL, title text NOT NULL, CONSTRAINT items_title_not_blank CHECK (title <> ''));
CREATE TABLE app.books (isbn text NOT NULL) INHERITS (app.items);
INSERT INTO app.books VALUES (1, 'Dune', '0441172717');
