-- New tables are created with their replica identity, after the unique index it names.
SELECT 1;
