-- After the type fix: session_id is already uuid, but the FK and the indexes are missing.
CREATE SCHEMA core;
CREATE SCHEMA healthcare;
CREATE TABLE core.conversation_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE core.whatsapp_conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone text NOT NULL,
  session_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE core.whatsapp_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  whatsapp_message_id text NOT NULL,
  organization_id uuid NOT NULL,
  session_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE healthcare.conversation_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  session_id uuid,
  message text,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO core.conversation_sessions (id) VALUES
  ('550e8400-e29b-41d4-a716-446655440000'), ('21a2151a-cd37-41d5-a1c7-124bb05e7a6a');
INSERT INTO core.whatsapp_conversations (phone, session_id) VALUES
  ('+15550100', '550e8400-e29b-41d4-a716-446655440000'), ('+15550101', NULL), ('+15550102', '21a2151a-cd37-41d5-a1c7-124bb05e7a6a');
INSERT INTO core.whatsapp_messages (whatsapp_message_id, organization_id, session_id) VALUES
  ('wamid.1', '8c3f2c1e-0b7a-4a55-9d1e-3a6f7b0c9d11', '550e8400-e29b-41d4-a716-446655440000');
INSERT INTO healthcare.conversation_logs (clinic_id, session_id, message) VALUES
  ('8c3f2c1e-0b7a-4a55-9d1e-3a6f7b0c9d11', '550e8400-e29b-41d4-a716-446655440000', 'hello'),
  ('8c3f2c1e-0b7a-4a55-9d1e-3a6f7b0c9d11', NULL, 'walk-in');
