SELECT count(*), min(at), max(at) FROM public.events_2026_10
