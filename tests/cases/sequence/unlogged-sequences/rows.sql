SELECT last_value FROM public.batch_seq
