CREATE SCHEMA app;
CREATE TABLE app.items (id integer NOT NULL, title text NOT NULL, owner integer, PRIMARY KEY (id));
CREATE TABLE app.books (isbn text NOT NULL, PRIMARY KEY (id)) INHERITS (app.items);
CREATE INDEX books_owner_idx ON app.books (owner);
ALTER TABLE app.books ENABLE ROW LEVEL SECURITY;
CREATE POLICY books_owner ON app.books USING (owner = 42);
INSERT INTO app.items VALUES (1, 'a', 42);
INSERT INTO app.books VALUES (2, 'b', 42, '0441172717');
