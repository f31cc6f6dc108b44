CREATE TABLE public.devices (id bigint PRIMARY KEY, label text NOT NULL);
INSERT INTO public.devices VALUES (1, 'phone'), (2, 'tablet');
