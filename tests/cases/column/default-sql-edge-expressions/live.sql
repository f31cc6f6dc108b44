CREATE TABLE public.jobs (
  id bigint PRIMARY KEY,
  queued_at timestamptz,
  run_after timestamptz,
  attempt_token text,
  state text,
  day date
);
INSERT INTO public.jobs (id) VALUES (1);
