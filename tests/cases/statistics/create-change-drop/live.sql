CREATE TABLE public.orders (id integer PRIMARY KEY, city text, zip text, country text, amount numeric);
CREATE STATISTICS public.orders_city_zip ON city, zip FROM public.orders;
CREATE STATISTICS public.orders_kinds (ndistinct) ON city, country FROM public.orders;
CREATE STATISTICS public.orders_target ON zip, country FROM public.orders;
CREATE STATISTICS public.orders_old ON city, amount FROM public.orders;
CREATE STATISTICS public.orders_gone ON zip, amount FROM public.orders;
