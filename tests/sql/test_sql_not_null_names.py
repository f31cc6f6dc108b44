"""PostgreSQL 18 names each NOT NULL (pg_constraint, contype 'n'): SQL files that name one get
that name, and a live NOT NULL that kept an old name (a detached partition keeps its parent's,
a renamed table its old name) is renamed to the declared one. Real server (18+), through the
CLI with a local scratch server of the same major."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import not_null_constraint_names, run_sql, skip_below, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.m (a integer NOT NULL, b integer) PARTITION BY RANGE (a);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (1) TO (10);
ALTER TABLE public.m DETACH PARTITION public.m1;
CREATE TABLE public.kept (id integer CONSTRAINT kept_id_custom NOT NULL, note text);
INSERT INTO public.kept VALUES (1, 'x');
CREATE TABLE public.loose (id integer, v integer);
INSERT INTO public.loose VALUES (1, NULL);
"""

FILES = """
CREATE TABLE public.m (a integer NOT NULL, b integer) PARTITION BY RANGE (a);
CREATE TABLE public.m1 (a integer NOT NULL, b integer);
CREATE TABLE public.kept (id integer CONSTRAINT kept_id_custom NOT NULL, note text CONSTRAINT note_required NOT NULL);
CREATE TABLE public.fresh (id integer CONSTRAINT fresh_id_required NOT NULL, other integer NOT NULL);
CREATE TABLE public.loose (id integer NOT NULL NO INHERIT, v integer);
ALTER TABLE public.loose ADD CONSTRAINT loose_v_nn NOT NULL v NOT VALID;
"""



def test_not_null_names_follow_the_sql_files(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, LIVE)
    assert not_null_constraint_names(db_url)["m1.a"] == "m_a_not_null"  # the parent's name, kept by the detach
    run = sql_files_cli(tmp_path, db_url, FILES)

    code, plan = run("plan", "--detailed-exitcode")
    assert code == Exit.CHANGES, plan
    assert "not-null constraint m_a_not_null → m1_a_not_null" in plan, plan
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output

    names = not_null_constraint_names(db_url)
    assert names["m1.a"] == "m1_a_not_null"
    assert names["kept.id"] == "kept_id_custom"
    assert names["kept.note"] == "note_required"  # SET NOT NULL under the declared name
    assert names["fresh.id"] == "fresh_id_required"
    assert names["fresh.other"] == "fresh_other_not_null"
    # NOT VALID (the NULL row stays) and NO INHERIT, as the files say
    with psycopg.connect(db_url) as conn:
        flags = dict(conn.execute(
            "SELECT conname, (convalidated, connoinherit)::text FROM pg_constraint"
            " WHERE conrelid = 'public.loose'::regclass"
        ).fetchall())
    assert flags == {"loose_v_nn": "(f,f)", "loose_id_not_null": "(t,t)"}
    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again
