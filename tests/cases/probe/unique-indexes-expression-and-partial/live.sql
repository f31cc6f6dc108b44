-- Unique indexes over an expression and with a predicate: duplicates are counted as the index
-- would see them (lower(email); only rows WHERE deleted_at IS NULL).
CREATE TABLE public.people (id bigint PRIMARY KEY, email text NOT NULL, handle text, deleted_at timestamptz);
INSERT INTO public.people VALUES
  (1, 'Ada@example.com', 'ada', NULL),
  (2, 'grace@example.com', 'grace', NULL),
  (3, 'ADA2@example.com', 'ada', '2024-01-01'),
  (4, 'edsger@example.com', NULL, NULL),
  (5, 'barbara@example.com', NULL, NULL);
