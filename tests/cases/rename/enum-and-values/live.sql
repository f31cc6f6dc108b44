CREATE TYPE public.userrole AS ENUM ('SYSADMIN', 'ADMIN', 'USER');
CREATE TABLE public.users (id integer PRIMARY KEY, role public.userrole NOT NULL DEFAULT 'USER');
INSERT INTO public.users VALUES (1, 'SYSADMIN'), (2, 'USER');
