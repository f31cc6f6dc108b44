-- A database with the drift described in ../shared/seeds/, limited to what a plain reconcile
-- can fix without data conversions. Loaded by `make demo` into a throwaway PostgreSQL.

-- 004: the extensions the code needs were never created; audit actions are missing labels;
-- timestamps are naive.
CREATE TYPE public.audit_action AS ENUM ('create', 'read');

-- 002: user_profiles.id is TEXT with no default, so inserts without an id fail.
CREATE TABLE public.user_profiles (
    id text PRIMARY KEY,
    user_id text NOT NULL UNIQUE,
    username text NOT NULL,
    first_seen_at bigint NOT NULL,
    bio text,
    message_count integer DEFAULT 0
);

-- 001: conversations and messages exist, but messages has no foreign key, no role check,
-- no index, and timestamps without a time zone.
CREATE TABLE public.conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title varchar(200) NOT NULL DEFAULT 'New Conversation',
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE TABLE public.messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid NOT NULL,
    role varchar(20) NOT NULL,
    content text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);

CREATE TABLE public.audit_logs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    action public.audit_action NOT NULL,
    resource_type text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);

-- 003: sessions and logs across two schemas, without the indexes the write-up adds.
CREATE SCHEMA core;
CREATE SCHEMA healthcare;
CREATE TABLE core.conversation_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    started_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE healthcare.conversation_logs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    clinic_id uuid NOT NULL,
    session_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    message text
);

-- Some data, so that the plan is about a database that matters.
INSERT INTO public.user_profiles (id, user_id, username, first_seen_at)
SELECT gen_random_uuid()::text, 'discord-' || g, 'user' || g, 1700000000 + g FROM generate_series(1, 200) g;
INSERT INTO public.conversations (title) SELECT 'Conversation ' || g FROM generate_series(1, 50) g;
INSERT INTO public.messages (conversation_id, role, content)
SELECT c.id, (ARRAY['user', 'assistant'])[1 + g % 2], 'message ' || g
FROM public.conversations c, generate_series(1, 20) g;
INSERT INTO public.audit_logs (action, resource_type) SELECT 'create', 'conversation' FROM generate_series(1, 30);
INSERT INTO core.conversation_sessions DEFAULT VALUES;
INSERT INTO healthcare.conversation_logs (clinic_id, session_id, message)
SELECT gen_random_uuid(), s.id, 'hello' FROM core.conversation_sessions s;
