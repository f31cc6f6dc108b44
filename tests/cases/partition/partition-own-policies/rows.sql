SELECT id, owner, body FROM public.notes ORDER BY id
