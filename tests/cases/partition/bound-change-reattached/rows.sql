SELECT count(*) FROM public.events_2026_11
