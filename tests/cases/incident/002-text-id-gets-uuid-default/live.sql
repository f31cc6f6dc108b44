-- user_profiles.id is TEXT with no default: every insert that forgets an id fails.
CREATE TABLE public.user_profiles (
  id text PRIMARY KEY,
  user_id text NOT NULL UNIQUE,
  username text NOT NULL,
  first_seen_at bigint NOT NULL,
  last_interaction_at bigint NOT NULL,
  created_at bigint DEFAULT (EXTRACT(epoch FROM now()))::bigint,
  message_count integer DEFAULT 0,
  bio text,
  preferences jsonb
);
INSERT INTO public.user_profiles (id, user_id, username, first_seen_at, last_interaction_at) VALUES
  ('0b6f1c1e-1111-4a55-9d1e-3a6f7b0c9d11', '381945729384', 'ann', 1736850000, 1736853600),
  ('0b6f1c1e-2222-4a55-9d1e-3a6f7b0c9d11', '381945729385', 'bob', 1736850000, 1736850000);
