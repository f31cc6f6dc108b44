-- Everything foreign undeclared: with `foreign_data_wrappers:` and `foreign_servers:` declared
-- empty they are managed, so the foreign table, then the server, then the wrapper go.
CREATE FOREIGN DATA WRAPPER test_fdw;
CREATE SERVER test_server FOREIGN DATA WRAPPER test_fdw;
CREATE SCHEMA test_schema;
CREATE FOREIGN TABLE test_schema.t (id integer) SERVER test_server;
