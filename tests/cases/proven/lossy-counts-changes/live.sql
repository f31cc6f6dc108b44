-- Casts that succeed while changing values, with no `convert:`: numeric → integer rounds,
-- timestamptz → date drops the time of day, numeric(10,3) → numeric(10,1) rounds. The plan
-- counts the values that change; like a dropped column, apply needs --allow-destroy.
CREATE TABLE public.readings (id integer PRIMARY KEY, amount numeric, taken_at timestamptz, ratio numeric(10,3));
INSERT INTO public.readings VALUES
    (1, 2.4, '2024-05-01 00:00:00+00', 1.250),
    (2, 7, '2024-05-01 13:45:00+00', 2.000),
    (3, -3.5, '2024-05-02 00:00:00+00', 0.125),
    (4, NULL, NULL, NULL);
