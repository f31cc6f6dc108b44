CREATE TABLE public.messages (id bigint PRIMARY KEY, tool_call_id varchar(100), name character varying);
INSERT INTO public.messages VALUES (1, 'call_1', 'search'), (2, NULL, NULL);
