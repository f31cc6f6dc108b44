SELECT id, price, qty, stored_total, kept FROM public.items ORDER BY id
