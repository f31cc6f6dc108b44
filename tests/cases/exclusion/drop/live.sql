CREATE TABLE public.slots (id bigint PRIMARY KEY, during tsrange NOT NULL, label text,
  CONSTRAINT slots_no_overlap EXCLUDE USING gist (during WITH &&),
  CONSTRAINT slots_label_once EXCLUDE USING btree (lower(label) WITH =));
INSERT INTO public.slots VALUES (1, '[2026-01-01,2026-01-02)', 'A');
