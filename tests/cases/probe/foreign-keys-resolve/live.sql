-- New foreign keys over existing rows: every complete key has its parent (NULL keys are not
-- checked), single-column and composite.
CREATE TABLE public.orgs (id bigint PRIMARY KEY);
CREATE TABLE public.memberships (org_id bigint, user_id bigint, PRIMARY KEY (org_id, user_id));
CREATE TABLE public.grants (id bigint PRIMARY KEY, org_id bigint, user_id bigint);
INSERT INTO public.orgs VALUES (1), (2);
INSERT INTO public.memberships VALUES (1, 10), (2, 20);
INSERT INTO public.grants VALUES (1, 1, 10), (2, 2, 20), (3, NULL, 99), (4, 2, NULL);
