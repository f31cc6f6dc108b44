"""PostgreSQL 18 names the NOT NULLs of partitions, and how a partition is made decides the
names: a plain ``PARTITION OF`` gives the parent's, ``PARTITION OF t (c NOT NULL)`` the
partition's own, and a table attached keeps its own. SQL files that say how their partitions are
made get those names, whichever way the plan makes the partition; a name PostgreSQL cannot change
(a NOT NULL a live partition inherits) is left as it is and the plan says so, never failing at
apply. Real server (18+), through the CLI with a local scratch server of the same major."""

from __future__ import annotations

from pathlib import Path

from conftest import not_null_constraint_names, run_sql, skip_below, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.t (id integer NOT NULL, k integer NOT NULL, note text) PARTITION BY LIST (k);
CREATE TABLE public.t1 (id integer NOT NULL, k integer NOT NULL, note text CONSTRAINT t1_note_mine NOT NULL);
ALTER TABLE public.t ATTACH PARTITION public.t1 FOR VALUES IN (1);
CREATE TABLE public.t3 (id integer CONSTRAINT t3_id_custom NOT NULL, k integer NOT NULL, note text);
INSERT INTO public.t3 VALUES (30, 3, NULL);
CREATE TABLE public.u (a integer NOT NULL) PARTITION BY LIST (a);
CREATE TABLE public.u1 (a integer NOT NULL);
ALTER TABLE public.u ATTACH PARTITION public.u1 FOR VALUES IN (1);
"""

FILES = """
CREATE TABLE public.t (id integer NOT NULL, k integer NOT NULL, note text) PARTITION BY LIST (k);
CREATE TABLE public.t1 PARTITION OF public.t (note CONSTRAINT t1_note_declared NOT NULL) FOR VALUES IN (1);
CREATE TABLE public.t2 PARTITION OF public.t (id NOT NULL, note CONSTRAINT t2_note_own NOT NULL) FOR VALUES IN (2);
CREATE TABLE public.t3 PARTITION OF public.t FOR VALUES IN (3);
CREATE TABLE public.u (a integer CONSTRAINT u_a_renamed NOT NULL) PARTITION BY LIST (a);
CREATE TABLE public.u1 PARTITION OF public.u FOR VALUES IN (1);
CREATE TABLE public.u2 PARTITION OF public.u FOR VALUES IN (2);
"""


def test_partition_not_null_names_follow_the_sql_files(tmp_path: Path, db_url: str) -> None:
    skip_below(db_url, 180000, "NOT NULL constraints have names from PostgreSQL 18 on")
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)

    code, plan = run("plan", "--sql")
    assert code == Exit.OK, plan
    # made in place: the inherited NOT NULL declared under the partition's name is written so
    assert 'PARTITION OF public.t (id CONSTRAINT t2_id_not_null NOT NULL) FOR VALUES IN (2)' in plan, plan
    assert "ALTER TABLE public.t2 ADD CONSTRAINT t2_note_own NOT NULL note" in plan, plan
    # attached: the table's own names, renamed before the attach
    assert "ALTER TABLE public.t3 RENAME CONSTRAINT t3_id_custom TO t_id_not_null" in plan, plan
    assert "ALTER TABLE public.t3 RENAME CONSTRAINT t3_k_not_null TO t_k_not_null" in plan, plan
    # a live partition's own NOT NULL is renamed in place
    assert "ALTER TABLE public.t1 RENAME CONSTRAINT t1_note_mine TO t1_note_declared" in plan, plan
    # the table's rename would fail on u1, which holds the NOT NULL under its own name: left out
    assert "RENAME CONSTRAINT u_a_not_null" not in plan, plan
    # ... so a new partition of it, which would inherit the live name, is given the declared one
    assert "PARTITION OF public.u (a CONSTRAINT u_a_renamed NOT NULL) FOR VALUES IN (2)" in plan, plan

    code, shown = run("plan")
    assert code == Exit.OK, shown
    note = shown[shown.index("Not managed, left untouched:"):]
    assert "public.t1: t1_id_not_null declared as t_id_not_null, t1_k_not_null declared as t_k_not_null" in note
    assert "public.u1: u1_a_not_null declared as u_a_renamed" in note
    assert "not-null constraint u_a_not_null of table public.u (declared as u_a_renamed" in note
    assert "cannot rename a constraint a partition inherits" in note

    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    names = not_null_constraint_names(db_url)
    assert names["t2.id"] == "t2_id_not_null" and names["t2.k"] == "t_k_not_null"
    assert names["t2.note"] == "t2_note_own"
    assert names["t3.id"] == "t_id_not_null" and names["t3.k"] == "t_k_not_null"
    assert names["t1.note"] == "t1_note_declared"
    assert names["t1.id"] == "t1_id_not_null" and names["u.a"] == "u_a_not_null"  # left, as the plan said
    assert names["u2.a"] == "u_a_renamed"

    code, again = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, again
    assert "public.u1: u1_a_not_null declared as u_a_renamed" in again, again
