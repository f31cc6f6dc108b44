-- Incident 002 (docs/incidents.md): user_profiles.id is TEXT with no default (inserts without an
-- id fail), and the traits live in a dozen loose columns.
CREATE TABLE public.user_profiles (
    id text PRIMARY KEY,
    display_name text,
    openness integer,
    conscientiousness integer,
    extraversion integer,
    attachment_style text,
    hair_color text,
    eye_color text,
    body_type text,
    height_cm numeric(5,1),
    communication_style text,
    emoji_usage boolean,
    response_length text,
    humor_style text
);
INSERT INTO public.user_profiles VALUES
    ('u1', 'Ada', 75, 80, 40, 'secure', 'brown', 'green', 'athletic', 170.5, 'direct', true, 'short', 'witty'),
    ('u2', 'Bob', NULL, 55, NULL, NULL, 'black', NULL, NULL, NULL, 'warm', false, NULL, NULL),
    ('u3', 'Cy', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
