"""SQL files that turn check_function_bodies off (pg_dump's output does) declare functions whose
bodies PostgreSQL did not check: apply creates them the same way, and only those."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from conftest import run_sql, sql_files_cli
from pgreconcile.declare.sql.source import _UNCHECKED_BODIES

# The body names a column that exists nowhere: accepted only while bodies are not checked.
PROCEDURE = """
CREATE TABLE public.tbl (c1 integer);
CREATE PROCEDURE public.insert_data(a integer) LANGUAGE sql
    AS $$ INSERT INTO public.tbl VALUES (a); INSERT INTO public.tbl VALUES (b); $$;
"""


def test_a_body_the_files_left_unchecked_is_created_unchecked(tmp_path: Path, db_url: str) -> None:
    run = sql_files_cli(tmp_path, db_url, "SET check_function_bodies = false;\n" + PROCEDURE)
    try:
        code, output = run("plan", "--sql")
        assert code == 0, output
        assert "set_config('check_function_bodies', 'off', true)" in output, output
        code, output = run("apply", "--auto-approve")
        assert code == 0, output
        code, output = run("plan", "--detailed-exitcode")
        assert code == 0, output
        with psycopg.connect(db_url) as conn:
            assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname = 'insert_data'").fetchone() == (1,)
            # Only for that statement: the transaction's setting was back on.
            assert conn.execute("SHOW check_function_bodies").fetchone() == ("on",)
    finally:
        run_sql(db_url, "DROP PROCEDURE IF EXISTS public.insert_data(integer); DROP TABLE IF EXISTS public.tbl;")


def test_checked_files_plan_no_unchecked_creation(tmp_path: Path, db_url: str) -> None:
    body = "CREATE FUNCTION public.one() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;\n"
    run = sql_files_cli(tmp_path, db_url, body)
    try:
        code, output = run("plan", "--sql")
        assert code == 0, output
        assert "check_function_bodies" not in output, output
    finally:
        run_sql(db_url, "DROP FUNCTION IF EXISTS public.one();")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("SET check_function_bodies = false;", True),
        ("set check_function_bodies to off;", True),
        ("SELECT pg_catalog.set_config('check_function_bodies', 'false', false);", True),
        ("SET check_function_bodies = true;", False),
        ("-- nothing here", False),
    ],
)
def test_the_files_setting_is_recognised(text: str, found: bool) -> None:
    assert bool(_UNCHECKED_BODIES.search(text)) is found
