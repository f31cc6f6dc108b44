-- The emergency re-create left messages without its role CHECK, its index and two columns.
CREATE TABLE public.conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title varchar(200) NOT NULL DEFAULT 'New Conversation',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE public.messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES public.conversations (id) ON DELETE CASCADE,
  role varchar(20) NOT NULL,
  content text NOT NULL,
  tool_calls jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_conversations_created_at_desc ON public.conversations (created_at DESC);
INSERT INTO public.conversations (id) VALUES ('7d444840-9dc0-11d1-b245-5ffdce74fad2');
INSERT INTO public.messages (conversation_id, role, content) VALUES
  ('7d444840-9dc0-11d1-b245-5ffdce74fad2', 'user', 'hi'),
  ('7d444840-9dc0-11d1-b245-5ffdce74fad2', 'assistant', 'hello'),
  ('7d444840-9dc0-11d1-b245-5ffdce74fad2', 'tool', '{"ok": true}');
