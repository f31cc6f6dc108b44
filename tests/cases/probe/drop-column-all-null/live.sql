-- A dropped column that holds nothing: the plan says so (it still needs --allow-destroy).
CREATE TABLE public.users (id bigint PRIMARY KEY, nickname text);
INSERT INTO public.users (id) SELECT g FROM generate_series(1, 40) AS g;
