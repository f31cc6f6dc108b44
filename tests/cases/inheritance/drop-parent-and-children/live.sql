CREATE SCHEMA app;
CREATE TABLE app.a_items (id integer NOT NULL);
CREATE TABLE app.books (isbn text) INHERITS (app.a_items);
CREATE TABLE app.rare_books (grade text) INHERITS (app.books);
CREATE TABLE app.keep (id integer);
INSERT INTO app.a_items VALUES (1);
INSERT INTO app.books VALUES (2, 'x'), (3, 'y');
INSERT INTO app.rare_books VALUES (4, 'z', 'A');
