CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    priority integer DEFAULT 0,
    status text DEFAULT 'new',
    note text
) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders (priority DEFAULT 5) FOR VALUES IN ('eu');
CREATE TABLE public.orders_us PARTITION OF public.orders (status DEFAULT 'open') FOR VALUES IN ('us');
CREATE TABLE public.orders_asia PARTITION OF public.orders FOR VALUES IN ('asia') PARTITION BY HASH (id);
CREATE TABLE public.orders_asia_0 PARTITION OF public.orders_asia FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE public.orders_asia_1 PARTITION OF public.orders_asia FOR VALUES WITH (modulus 2, remainder 1);
INSERT INTO public.orders (id, region) VALUES (1, 'eu'), (2, 'us'), (3, 'asia');
