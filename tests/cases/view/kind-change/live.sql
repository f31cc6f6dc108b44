CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, score integer);
INSERT INTO app.notes VALUES (1, 'ann', 3);
CREATE MATERIALIZED VIEW app.owner_scores AS SELECT owner, sum(score) AS total FROM app.notes GROUP BY owner;
