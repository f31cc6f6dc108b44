SELECT id, email FROM public.accounts ORDER BY id
