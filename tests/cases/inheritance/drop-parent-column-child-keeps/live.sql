CREATE SCHEMA app;
CREATE TABLE app.stamped (created_at timestamptz DEFAULT now(), source text);
CREATE TABLE app.orders (id integer, total numeric) INHERITS (app.stamped);
CREATE TABLE app.refunds (id integer) INHERITS (app.stamped);
INSERT INTO app.orders (id, total, source) VALUES (1, 10, 'web'), (2, 20, 'shop');
INSERT INTO app.refunds (id, source) VALUES (1, 'web');
