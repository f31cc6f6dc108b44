CREATE TABLE public.notes (id integer PRIMARY KEY, title text, archived boolean NOT NULL DEFAULT false);
CREATE TABLE public.notes_log (note_id integer, old_title text, new_title text);
CREATE RULE notes_keep AS ON DELETE TO public.notes DO INSTEAD UPDATE public.notes SET archived = true WHERE id = old.id;
CREATE RULE notes_log_title AS ON UPDATE TO public.notes WHERE old.title <> new.title
  DO ALSO INSERT INTO public.notes_log VALUES (new.id, old.title, new.title);
CREATE RULE notes_old AS ON INSERT TO public.notes DO ALSO NOTHING;
CREATE RULE notes_gone AS ON INSERT TO public.notes_log WHERE new.note_id IS NULL DO INSTEAD NOTHING;
