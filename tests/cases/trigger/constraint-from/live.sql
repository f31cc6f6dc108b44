CREATE SCHEMA audit;
CREATE TABLE audit.log (id integer PRIMARY KEY);
CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer);
CREATE TABLE public.customers (id integer PRIMARY KEY);
CREATE FUNCTION public.check_customer() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
-- Declared below with a FROM table: re-created with it.
CREATE CONSTRAINT TRIGGER orders_customer AFTER INSERT ON public.orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.check_customer();
