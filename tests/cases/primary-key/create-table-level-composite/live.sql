CREATE TABLE public.memberships (org_id bigint NOT NULL, user_id bigint NOT NULL, role text);
INSERT INTO public.memberships VALUES (1, 1, 'owner'), (1, 2, 'member'), (2, 1, 'member');
