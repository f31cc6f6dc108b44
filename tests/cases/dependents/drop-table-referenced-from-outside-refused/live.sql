-- A table the declarations no longer have is referenced by a foreign key of a table in another,
-- unmanaged schema. PostgreSQL would refuse the DROP TABLE mid-apply ("other objects depend on
-- it"), and pgreconcile does not change objects outside its schemas: the plan is refused at
-- plan time, naming the foreign key.
CREATE TABLE public.customers (id integer PRIMARY KEY, name text);
CREATE TABLE public.orders (id integer PRIMARY KEY);
CREATE SCHEMA ledger;
CREATE TABLE ledger.entries (id integer PRIMARY KEY, customer_id integer REFERENCES public.customers (id));
