CREATE TABLE public.memberships (org_id bigint NOT NULL, user_id bigint NOT NULL, id bigint NOT NULL, PRIMARY KEY (org_id, user_id));
INSERT INTO public.memberships VALUES (1, 1, 10), (1, 2, 11);
