CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text, tenant text,
  CONSTRAINT accounts_tenant_key UNIQUE (tenant));
INSERT INTO public.accounts VALUES (1, 'a@x', 't1'), (2, NULL, NULL);
