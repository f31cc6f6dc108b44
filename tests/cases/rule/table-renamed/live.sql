CREATE TABLE public.old_notes (id integer PRIMARY KEY, title text, city text);
CREATE RULE notes_keep AS ON DELETE TO public.old_notes DO INSTEAD NOTHING;
CREATE RULE notes_quiet AS ON INSERT TO public.old_notes WHERE new.title IS NULL DO INSTEAD NOTHING;
CREATE STATISTICS public.notes_stats ON title, city FROM public.old_notes;
