CREATE SCHEMA core;
CREATE TABLE core.conversation_sessions (id uuid PRIMARY KEY);
CREATE TABLE core.whatsapp_messages (id bigint PRIMARY KEY, session_id uuid);
INSERT INTO core.conversation_sessions VALUES ('550e8400-e29b-41d4-a716-446655440000');
INSERT INTO core.whatsapp_messages VALUES (1, '550e8400-e29b-41d4-a716-446655440000'), (2, NULL);
