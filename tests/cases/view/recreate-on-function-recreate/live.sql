CREATE TABLE public.transactions (id integer PRIMARY KEY, amount numeric);
CREATE FUNCTION public.calc_fee(val numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$SELECT val * 0.1$$;
CREATE VIEW public.transaction_fees AS SELECT id, public.calc_fee(amount) AS fee FROM public.transactions;
CREATE VIEW public.large_fees AS SELECT id FROM public.transaction_fees WHERE fee > 10;
CREATE MATERIALIZED VIEW public.fee_totals AS SELECT public.calc_fee(sum(amount)) AS total FROM public.transactions;
INSERT INTO public.transactions VALUES (1, 200), (2, 50);
