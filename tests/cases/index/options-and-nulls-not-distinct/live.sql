CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text, tenant_id bigint);
INSERT INTO public.accounts VALUES (1, 'a@example.com', 1), (2, NULL, 1);
CREATE INDEX accounts_tenant_idx ON public.accounts (tenant_id);
CREATE UNIQUE INDEX accounts_email_key ON public.accounts (email);
