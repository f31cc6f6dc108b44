-- A primary key, unique or exclusion constraint is implemented by an index of the same name,
-- and that index can carry a comment of its own (COMMENT ON INDEX), apart from the
-- constraint's (COMMENT ON CONSTRAINT): set, changed and removed here.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE public.rooms (
  id bigint CONSTRAINT rooms_pkey PRIMARY KEY,
  code text CONSTRAINT rooms_code_key UNIQUE,
  name text CONSTRAINT rooms_name_key UNIQUE,
  during tstzrange,
  CONSTRAINT rooms_no_overlap EXCLUDE USING gist (code WITH =, during WITH &&)
);
COMMENT ON INDEX public.rooms_code_key IS 'old words';
COMMENT ON CONSTRAINT rooms_code_key ON public.rooms IS 'the constraint';
COMMENT ON INDEX public.rooms_name_key IS 'going away';
