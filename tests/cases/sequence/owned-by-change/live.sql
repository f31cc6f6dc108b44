CREATE TABLE public.orders (id bigint PRIMARY KEY, legacy_no bigint, order_no bigint);
CREATE SEQUENCE public.order_no_seq OWNED BY public.orders.legacy_no;
