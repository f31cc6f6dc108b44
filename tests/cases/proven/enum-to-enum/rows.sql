SELECT id, status::text FROM public.orders ORDER BY id
