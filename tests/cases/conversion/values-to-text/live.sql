-- Numbers, uuids, dates and timestamps written into unbounded text or varchar: PostgreSQL's cast
-- cannot fail and the text reads back as the same value, so no `convert:` is needed and nothing
-- is probed. (A varchar(n) limit could cut a value: that stays probe-proven.)
CREATE TABLE public.events (id integer PRIMARY KEY, counter bigint, ref uuid, day date, price numeric(8,2));
INSERT INTO public.events VALUES (1, 9007199254740993, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', 12.50);
