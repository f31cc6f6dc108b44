SELECT id, priority::text FROM public.tasks ORDER BY id
