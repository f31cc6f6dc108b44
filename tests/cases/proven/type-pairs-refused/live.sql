-- The probe-proven pairs over values that do not convert: each change is refused with its count,
-- and nothing runs.
CREATE DOMAIN public.slug AS text CHECK (VALUE ~ '^[a-z0-9-]+$');
CREATE TABLE public.pairs (
    id integer PRIMARY KEY,
    code character(10),
    qty text,
    price text,
    ref text,
    day text,
    flag text,
    amount numeric(10,2),
    big bigint,
    handle text
);
INSERT INTO public.pairs VALUES
    (1, 'abcdefgh', '4.5', '12345.50', 'not-a-uuid', '2023-02-29', 'maybe', 123456.78, 2147483648, 'Hello World'),
    (2, 'ab', '42', '1.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', 'yes', 1.5, 1, 'ok');
