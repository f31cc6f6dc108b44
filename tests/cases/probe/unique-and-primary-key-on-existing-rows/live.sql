-- A primary key and a UNIQUE added to tables with rows. NULLs do not collide under UNIQUE.
CREATE TABLE public.members (member_no integer, email text, team text);
INSERT INTO public.members VALUES (1, 'a@example.com', 'red'), (2, NULL, 'red'), (3, NULL, 'blue'), (4, 'd@example.com', NULL);
