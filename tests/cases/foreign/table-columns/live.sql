-- A foreign table's columns change as a table's do (ALTER TABLE works on foreign tables); an
-- undeclared server is left alone (servers are not managed here).
CREATE FOREIGN DATA WRAPPER test_fdw;
CREATE SERVER test_server FOREIGN DATA WRAPPER test_fdw;
CREATE SERVER other_server FOREIGN DATA WRAPPER test_fdw;
CREATE SCHEMA test_schema;
CREATE FOREIGN TABLE test_schema.t (id integer, name text, gone text) SERVER test_server;
