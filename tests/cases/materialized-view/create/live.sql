CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, title character varying(50), score integer);
INSERT INTO app.notes VALUES (1, 'ann', 'first', 3), (2, 'bob', 'second', 5);
