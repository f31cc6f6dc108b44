CREATE TABLE public.orders (id bigint NOT NULL, region text NOT NULL, total numeric) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_rest PARTITION OF public.orders DEFAULT;
INSERT INTO public.orders SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g FROM generate_series(1, 40) g;
