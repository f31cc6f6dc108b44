SELECT id, fee::text FROM public.transaction_fees ORDER BY id
