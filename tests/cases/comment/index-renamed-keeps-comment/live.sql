CREATE TABLE public.t (id bigint PRIMARY KEY, a integer, c integer);
CREATE INDEX t_a_idx ON public.t (a);
CREATE INDEX t_c_idx ON public.t (c);
COMMENT ON INDEX public.t_a_idx IS 'same';
COMMENT ON INDEX public.t_c_idx IS 'old';
