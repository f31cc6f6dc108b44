CREATE EXTENSION pg_trgm;
COMMENT ON EXTENSION pg_trgm IS 'old note';
CREATE EXTENSION "uuid-ossp";
COMMENT ON EXTENSION "uuid-ossp" IS 'local note';
CREATE EXTENSION citext;
