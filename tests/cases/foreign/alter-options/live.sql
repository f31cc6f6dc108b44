-- Options added, changed and dropped on a wrapper, a server (and its version) and a foreign
-- table, all in place.
CREATE FOREIGN DATA WRAPPER test_fdw OPTIONS (debug 'true', old 'x');
CREATE SERVER test_server VERSION '1.0' FOREIGN DATA WRAPPER test_fdw OPTIONS (host 'localhost', port '5432');
CREATE SCHEMA test_schema;
CREATE FOREIGN TABLE test_schema.t (id integer) SERVER test_server OPTIONS (table_name 'remote_table');
