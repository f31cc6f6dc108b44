-- Incident 003 (docs/incidents.md) before the fix: whatsapp_conversations.session_id is a varchar
-- holding uuids — and 3 values that are not uuids — with no foreign key and no index.
CREATE SCHEMA core;
CREATE SCHEMA healthcare;
CREATE TABLE core.conversation_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE core.whatsapp_conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone text NOT NULL,
  session_id character varying(255),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE healthcare.conversation_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  session_id uuid REFERENCES core.conversation_sessions (id) ON DELETE SET NULL,
  message text,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO core.conversation_sessions (id)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid FROM generate_series(1, 40) AS n;
INSERT INTO core.whatsapp_conversations (phone, session_id)
SELECT '+1555' || lpad(n::text, 6, '0'), '00000000-0000-4000-8000-' || lpad(to_hex(1 + n % 40), 12, '0')
FROM generate_series(1, 200) AS n;
INSERT INTO core.whatsapp_conversations (phone, session_id) VALUES
  ('+15559990001', 'wa-session-17'), ('+15559990002', 'pending'), ('+15559990003', ''),
  ('+15559990004', NULL);
INSERT INTO healthcare.conversation_logs (clinic_id, session_id, message) VALUES
  ('8c3f2c1e-0b7a-4a55-9d1e-3a6f7b0c9d11', '00000000-0000-4000-8000-000000000001', 'hello');
