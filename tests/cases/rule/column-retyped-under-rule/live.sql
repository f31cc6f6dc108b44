CREATE TABLE public.items (id integer PRIMARY KEY, price integer, name text, legacy text);
CREATE TABLE public.price_log (item_id integer, price integer);
INSERT INTO public.items VALUES (1, 10, 'a', 'x');
CREATE RULE items_log_price AS ON UPDATE TO public.items WHERE old.price <> new.price
  DO ALSO INSERT INTO public.price_log VALUES (new.id, new.price);
CREATE RULE items_legacy AS ON INSERT TO public.items WHERE new.legacy IS NULL DO INSTEAD NOTHING;
CREATE RULE log_guard AS ON DELETE TO public.price_log WHERE old.price > 0 DO INSTEAD NOTHING;
