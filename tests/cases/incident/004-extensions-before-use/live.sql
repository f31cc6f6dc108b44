-- Extensions were never created; timestamps are naive; the audit enum is missing.
CREATE TABLE public.users (
  id bigint PRIMARY KEY,
  email text NOT NULL UNIQUE,
  created_at timestamp NOT NULL DEFAULT now(),
  last_login_at timestamp
);
INSERT INTO public.users VALUES (1, 'a@example.com', '2025-08-15 10:30:00', NULL);
