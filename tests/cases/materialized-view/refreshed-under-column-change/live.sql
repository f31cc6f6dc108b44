CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, title character varying(50), score integer);
INSERT INTO app.notes VALUES (1, 'ann', 'first', 3), (2, 'bob', 'second', 5);
CREATE MATERIALIZED VIEW app.owner_scores AS SELECT owner, sum(score) AS total FROM app.notes GROUP BY owner;
CREATE UNIQUE INDEX owner_scores_owner ON app.owner_scores (owner);
COMMENT ON MATERIALIZED VIEW app.owner_scores IS 'Score per owner';
