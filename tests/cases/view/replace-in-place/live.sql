CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, title character varying(50), score integer);
INSERT INTO app.notes VALUES (1, 'ann', 'first', 3), (2, 'bob', 'second', 5);
CREATE VIEW app.titles AS SELECT id, title FROM app.notes;
CREATE VIEW app.titles_upper AS SELECT id, upper(title) AS shout FROM app.titles;
COMMENT ON VIEW app.titles IS 'old';
