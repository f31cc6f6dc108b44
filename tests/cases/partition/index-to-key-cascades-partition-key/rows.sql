SELECT id, region FROM public.orders ORDER BY id
