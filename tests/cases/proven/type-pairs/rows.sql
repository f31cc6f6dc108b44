SELECT id, code::text, label::text, qty::text, price::text, ref::text, day::text, at::text, flag::text, amount::text, big::text, handle::text, note FROM public.pairs ORDER BY id
