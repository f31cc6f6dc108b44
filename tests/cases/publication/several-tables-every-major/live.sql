CREATE SCHEMA app;
CREATE TABLE app.orders (id integer PRIMARY KEY);
CREATE TABLE app.items (id integer PRIMARY KEY, order_id integer);
CREATE TABLE app.notes (id integer PRIMARY KEY, body text);
CREATE PUBLICATION grows FOR TABLE app.orders;
CREATE PUBLICATION emptied FOR TABLE app.orders, app.items;
