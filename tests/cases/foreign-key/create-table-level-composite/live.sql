CREATE TABLE public.memberships (org_id bigint NOT NULL, user_id bigint NOT NULL, PRIMARY KEY (org_id, user_id));
CREATE TABLE public.grants (id bigint PRIMARY KEY, org_id bigint NOT NULL, user_id bigint NOT NULL, permission text NOT NULL);
INSERT INTO public.memberships VALUES (1, 1), (1, 2);
INSERT INTO public.grants VALUES (1, 1, 1, 'read'), (2, 1, 2, 'write');
