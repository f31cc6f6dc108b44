CREATE TABLE public.settings (
  id bigint PRIMARY KEY,
  retries integer,
  starts_on date,
  ttl interval,
  options jsonb,
  ratio double precision,
  label varchar(50),
  code char(3)
);
INSERT INTO public.settings (id) VALUES (1), (2);
