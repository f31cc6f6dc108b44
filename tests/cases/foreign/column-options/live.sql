-- A foreign table's columns' own options, added, changed and dropped in place; a new foreign
-- table created with its columns' options.
CREATE FOREIGN DATA WRAPPER test_fdw;
CREATE SERVER test_server FOREIGN DATA WRAPPER test_fdw;
CREATE SCHEMA test_schema;
CREATE FOREIGN TABLE test_schema.films (code char(5), title varchar(40), kind varchar(10))
    SERVER test_server OPTIONS (table_name 'films');
ALTER FOREIGN TABLE test_schema.films ALTER COLUMN code OPTIONS (column_name 'number');
ALTER FOREIGN TABLE test_schema.films ALTER COLUMN title OPTIONS (column_name 'name');
