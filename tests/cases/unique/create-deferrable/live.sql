CREATE TABLE public.playlist_items (id bigint PRIMARY KEY, playlist_id bigint NOT NULL, position integer NOT NULL);
INSERT INTO public.playlist_items VALUES (1, 1, 1), (2, 1, 2);
