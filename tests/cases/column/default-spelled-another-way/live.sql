-- now() and CURRENT_TIMESTAMP, timezone(z, t) and t AT TIME ZONE z mean the same, but the
-- catalog keeps each default as it was written (and pg_dump prints it so): a default written
-- the other way is set again, cheaply, so that the catalog says what the declaration says.
-- A default that differs only in case or blanks is left alone.
CREATE TABLE public.events (
  id bigint PRIMARY KEY,
  happened_utc timestamp DEFAULT timezone('utc', now()),
  created_at timestamptz DEFAULT now(),
  seen_at timestamptz DEFAULT NOW()
);
