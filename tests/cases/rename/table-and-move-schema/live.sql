CREATE SCHEMA legacy;
CREATE TABLE legacy.tbl_customers (id integer PRIMARY KEY, email text UNIQUE);
CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer REFERENCES legacy.tbl_customers (id));
INSERT INTO legacy.tbl_customers VALUES (1, 'a@example.com');
INSERT INTO public.orders VALUES (1, 1);
