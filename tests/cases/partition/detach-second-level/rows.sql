SELECT count(*), min(id), max(id) FROM public.events_2026_11_us
