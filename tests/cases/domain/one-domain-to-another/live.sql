-- A column moves from one domain to another over the same type (a domain renamed by dropping it
-- and creating the new one): the values are already of that type, so only the new domain's
-- checks can reject one, and the probe counts exactly those.
CREATE DOMAIN public.old_amount AS numeric(10,2) CHECK (VALUE > 0);
CREATE TABLE public.invoices (id integer PRIMARY KEY, amount public.old_amount);
INSERT INTO public.invoices VALUES (1, 10.00), (2, 250.75), (3, NULL);
