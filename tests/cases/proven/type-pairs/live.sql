-- Every kind of probe-proven type change, none with `convert:`, over values that all convert:
-- the plan says so next to each change, applies, and the rows read back the same.
CREATE DOMAIN public.slug AS text CHECK (VALUE ~ '^[a-z0-9-]+$');
CREATE TABLE public.pairs (
    id integer PRIMARY KEY,
    code character(10),
    label character varying(50),
    qty text,
    price text,
    ref text,
    day text,
    at text,
    flag text,
    amount numeric(10,2),
    big bigint,
    handle text,
    note text
);
INSERT INTO public.pairs VALUES
    (1, 'ab', 'short', '42', '12.50', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '2024-02-29 13:45:00+00', 'true', 1234.56, 2147483647, 'hello-world', 'ok'),
    (2, 'cde', 'also short', '-7', '0.05', '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '1999-12-31', '1999-12-31 23:59:59+00', 'false', -99.99, -2147483648, 'x1', 'fine'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
