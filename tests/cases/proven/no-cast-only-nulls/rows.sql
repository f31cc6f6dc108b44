SELECT id, happened, checked FROM public.events ORDER BY id
