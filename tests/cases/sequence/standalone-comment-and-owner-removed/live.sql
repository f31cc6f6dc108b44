CREATE TABLE public.orders (id bigint PRIMARY KEY, no bigint);
CREATE SEQUENCE public.order_no OWNED BY public.orders.no;
COMMENT ON SEQUENCE public.order_no IS 'Order numbers';
