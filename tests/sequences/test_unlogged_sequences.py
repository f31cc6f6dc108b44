"""Unlogged sequences (PostgreSQL 15+) survive ``reconcile inspect`` in every format, and SQL
files that write ``CREATE UNLOGGED SEQUENCE`` / ``ALTER SEQUENCE … SET LOGGED`` are followed.

A standalone unlogged sequence is written ``unlogged: true`` under ``sequences:``; a serial of an
unlogged table is unlogged with its table and stays a ``serial`` column; a sequence owned by a
column but logged otherwise than its table is written under ``sequences:`` with its own
``unlogged``."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from conftest import inspected_schema, run_sql, skip_below
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare.directory import load_directory
from pgreconcile.emit.to_yaml import emit_yaml
from pgreconcile.plan import make_plan
from pgreconcile.render import render_sql, render_text

LIVE = """
CREATE UNLOGGED SEQUENCE public.batch_no START WITH 10 INCREMENT BY 10;
CREATE SEQUENCE public.ticket_no;
CREATE UNLOGGED TABLE public.scratch (id serial, n integer);
CREATE SEQUENCE public.scratch_n_seq OWNED BY public.scratch.n;
ALTER SEQUENCE public.scratch_n_seq SET LOGGED;
"""




def _unlogged(url: str) -> dict[str, bool]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT relname, relpersistence = 'u' FROM pg_class WHERE relkind = 'S'").fetchall()
    return dict(rows)


@pytest.mark.parametrize("fmt", ["yaml", "python", "sql"])
def test_unlogged_sequences_round_trip_through_inspect(
    fmt: str, db_url: str, other_db_url: str, tmp_path: Path
) -> None:
    skip_below(db_url, 150000, "unlogged sequences are PostgreSQL 15's")
    run_sql(db_url, LIVE)
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, ["public"])
    assert {name: seq.unlogged for (_, name), seq in live.sequences.items()} == {
        "batch_no": True, "ticket_no": False, "scratch_id_seq": True, "scratch_n_seq": False,
    }
    if fmt == "yaml":
        text = emit_yaml(live)
        assert "batch_no: {increment: 10, start: 10, unlogged: true}" in text
        assert "scratch_n_seq: {owned_by: scratch.n}" in text  # logged, unlike its table
        assert "id: serial" in text  # the unlogged table's serial stays a serial
    desired = inspected_schema(fmt, live, tmp_path / fmt, other_db_url)
    assert desired.sequences == live.sequences

    with psycopg.connect(other_db_url, autocommit=True) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source=fmt, target="an empty database")
        assert "CREATE UNLOGGED SEQUENCE public.batch_no" in render_sql(plan)
        apply_plan(conn, plan, allow_destroy=False)
        again = make_plan(desired, read_schema(conn, desired.managed), source=fmt, target="the applied database")
        assert not again.has_changes, render_text(again)
    assert _unlogged(other_db_url) == _unlogged(db_url)


def test_sql_files_set_a_sequence_logged_and_unlogged(db_url: str, tmp_path: Path) -> None:
    skip_below(db_url, 150000, "unlogged sequences are PostgreSQL 15's")
    run_sql(db_url, LIVE)
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "app.sql").write_text(
        """
        CREATE SEQUENCE public.batch_no START WITH 10 INCREMENT BY 10;
        CREATE UNLOGGED SEQUENCE public.ticket_no;
        CREATE TABLE public.scratch (id serial, n integer);
        CREATE SEQUENCE public.scratch_n_seq OWNED BY public.scratch.n;
        ALTER SEQUENCE public.scratch_n_seq SET UNLOGGED;
        """,
        encoding="utf-8",
    )
    desired = load_directory(folder, target_url=db_url).schema
    with psycopg.connect(db_url, autocommit=True) as conn:
        plan = make_plan(desired, read_schema(conn, desired.managed), source="app.sql", target="the database")
        text = render_text(plan)
        # scratch goes logged and takes its serial along; scratch_n_seq is set back to unlogged after it
        assert "sequence public.ticket_no logged → unlogged" in text
        assert "sequence public.batch_no unlogged → logged" in text
        assert "scratch_id_seq" not in text
        sql = render_sql(plan)
        assert sql.index("ALTER TABLE public.scratch SET LOGGED") < sql.index(
            "ALTER SEQUENCE public.scratch_n_seq SET UNLOGGED"
        )
        apply_plan(conn, plan, allow_destroy=False)
        again = make_plan(desired, read_schema(conn, desired.managed), source="app.sql", target="the database")
        assert not again.has_changes, render_text(again)
    assert _unlogged(db_url) == {"batch_no": False, "ticket_no": True, "scratch_id_seq": False, "scratch_n_seq": True}
