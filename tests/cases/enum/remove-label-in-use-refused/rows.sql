SELECT id, color::text FROM public.paints ORDER BY id
