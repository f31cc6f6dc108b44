-- `comment: ""` declares that the schema has no comment: the live one is removed. (Without a
-- `comment:` key a schema's comment is left as it is — public's stock one, for instance.)
CREATE SCHEMA reporting;
COMMENT ON SCHEMA reporting IS 'Aggregates.';
CREATE TABLE reporting.daily_totals (day date PRIMARY KEY, total bigint NOT NULL DEFAULT 0);
