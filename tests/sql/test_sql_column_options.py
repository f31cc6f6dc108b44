"""A column's attribute options are compared as numbers but written as the SQL files write them
(``5.0``, in their order), so that the catalog ends up saying what the files say; the statistics
target comes along. Real server, through the CLI with a local scratch server."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.t (a integer, b integer);
ALTER TABLE public.t ALTER COLUMN a SET (n_distinct = -0.7), ALTER COLUMN b SET (n_distinct = 3);
"""

FILES = """
CREATE TABLE public.t (a integer, b integer);
ALTER TABLE ONLY public.t ALTER COLUMN a SET (n_distinct_inherited = 5.0, n_distinct = -0.50);
ALTER TABLE ONLY public.t ALTER COLUMN b SET (n_distinct = 3.0);
ALTER TABLE ONLY public.t ALTER COLUMN b SET STATISTICS 300;
"""


def _options(url: str) -> dict[str, tuple[int, list[str] | None]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname, attstattarget, attoptions FROM pg_attribute"
            " WHERE attrelid = 'public.t'::regclass AND attnum > 0 ORDER BY attnum"
        ).fetchall()
    return {name: (target, options) for name, target, options in rows}


def test_options_are_written_as_the_files_write_them(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    got = _options(db_url)
    assert got["a"][1] == ["n_distinct_inherited=5.0", "n_distinct=-0.50"]
    # 3.0 is 3: no change is planned for b's options, only its statistics target.
    assert got["b"] == (300, ["n_distinct=3"])
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output
