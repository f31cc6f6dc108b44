-- A generated column whose expression changes is dropped and added again (PostgreSQL cannot
-- alter a generation expression), and so is a plain column that becomes generated: the views
-- that read either (and the view over that view) are dropped before and created again after.
CREATE TABLE public.orders (
  id bigint PRIMARY KEY,
  qty integer NOT NULL,
  price integer NOT NULL,
  total integer GENERATED ALWAYS AS (qty + price) STORED,
  code text
);
CREATE VIEW public.order_totals AS SELECT id, total FROM public.orders;
CREATE VIEW public.big_orders AS SELECT id FROM public.order_totals WHERE total > 100;
CREATE VIEW public.order_codes AS SELECT id, code FROM public.orders;
INSERT INTO public.orders VALUES (1, 2, 60, DEFAULT, 'a');
