-- Nothing foreign yet: a wrapper, a server on it and a foreign table on that are created, in
-- that order.
CREATE SCHEMA test_schema;
