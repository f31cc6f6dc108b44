CREATE SCHEMA reporting;
COMMENT ON SCHEMA reporting IS 'Aggregates.';
CREATE TABLE reporting.daily_totals (day date PRIMARY KEY, total bigint NOT NULL DEFAULT 0);
