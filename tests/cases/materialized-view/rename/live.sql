CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, score integer);
INSERT INTO app.notes VALUES (1, 'ann', 3), (2, 'ann', 4);
CREATE MATERIALIZED VIEW app.scores_by_owner AS SELECT owner, sum(score) AS total FROM app.notes GROUP BY owner;
CREATE UNIQUE INDEX owner_scores_owner ON app.scores_by_owner (owner);
