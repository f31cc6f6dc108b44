CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL, qty integer NOT NULL);
CREATE TABLE app.books (isbn text) INHERITS (app.items);
INSERT INTO app.items VALUES (1, 0);
INSERT INTO app.books VALUES (2, 5, 'x');
