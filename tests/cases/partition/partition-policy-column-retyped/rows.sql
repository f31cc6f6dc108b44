SELECT id, team, points FROM public.tasks ORDER BY id
