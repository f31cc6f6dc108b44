CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, owner text NOT NULL, title text, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO app.notes VALUES (1, 'ann', 'first', now());
