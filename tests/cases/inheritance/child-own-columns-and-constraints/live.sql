CREATE SCHEMA app;
CREATE TABLE app.items (id bigint NOT NULL, title text NOT NULL);
CREATE TABLE app.books (isbn text NOT NULL) INHERITS (app.items);
INSERT INTO app.books VALUES (1, 'Dune', '0441172717');
