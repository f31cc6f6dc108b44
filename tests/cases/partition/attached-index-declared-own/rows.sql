SELECT id, at, value FROM public.readings ORDER BY id
