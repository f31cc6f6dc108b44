-- SET NOT NULL on a column without NULLs, and a NOT NULL column added to an empty table.
CREATE TABLE public.profiles (id bigint PRIMARY KEY, display_name text);
INSERT INTO public.profiles VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
CREATE TABLE public.settings (id bigint PRIMARY KEY);
