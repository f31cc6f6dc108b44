CREATE TABLE public.user_profiles (id text PRIMARY KEY, first_seen_at bigint NOT NULL);
COMMENT ON COLUMN public.user_profiles.first_seen_at IS 'seconds';
