CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL, kind text DEFAULT 'item');
CREATE TABLE app.books (isbn text) INHERITS (app.items);
ALTER TABLE ONLY app.books ALTER COLUMN kind SET DEFAULT 'book';
CREATE TABLE app.magazines (issue integer) INHERITS (app.items);
ALTER TABLE ONLY app.magazines ALTER COLUMN kind SET DEFAULT 'magazine';
CREATE TABLE app.comics () INHERITS (app.items);
