"""A function's ``SET`` clauses are compared as a set but written in the order the SQL files
write them: ``proconfig`` keeps that order and ``pg_dump`` prints it. Real server, through the
CLI with a local scratch server."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE FUNCTION public.f(a integer) RETURNS integer LANGUAGE plpgsql
    SET search_path TO public SET work_mem TO '100MB'
    AS $$ BEGIN RETURN a * 2; END $$;
"""

FILES = """
CREATE FUNCTION public.f(a integer) RETURNS integer LANGUAGE plpgsql
    SET work_mem TO '50MB' SET enable_seqscan TO false
    AS $$ BEGIN RETURN a * 3; END $$;
CREATE FUNCTION public.g() RETURNS integer LANGUAGE sql
    SET work_mem TO '64MB' SET application_name TO 'g'
    AS $$ SELECT 1 $$;
"""


def _config(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
        ).fetchall()
    return {name: [item.split("=", 1)[0] for item in config or ()] for name, config in rows}


def test_set_clauses_keep_the_files_order(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    assert _config(db_url) == {"f": ["work_mem", "enable_seqscan"], "g": ["work_mem", "application_name"]}
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output
