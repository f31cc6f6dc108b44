SELECT id, tier FROM public.accounts ORDER BY id
