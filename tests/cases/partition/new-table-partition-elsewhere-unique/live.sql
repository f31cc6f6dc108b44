-- A partitioned table the plan creates, its unique index attached under a declared name on a
-- partition in another schema: the partition's copy is made on a new, empty table, so it is
-- neither probed nor marked "may fail on existing data".
CREATE SCHEMA archive;
