CREATE TABLE public.events (id integer PRIMARY KEY, kind varchar(20), code integer, label text, extra text);
INSERT INTO public.events VALUES (1, 'a', 10, 'x', 'y'), (2, 'b', 20, 'y', 'z');
CREATE STATISTICS public.events_kind_code ON kind, code FROM public.events;
CREATE STATISTICS public.events_code_expr ON (code + 1), kind FROM public.events;
CREATE STATISTICS public.events_label_extra ON label, extra FROM public.events;
CREATE STATISTICS public.events_extra_kind ON extra, kind FROM public.events;
