"""SQL files whose expressions name columns sqlglot reads as keywords (``while``, ``vacuum``,
``set``) and use arrays of reg* types (``'{}'::regclass[]``) and ``bit varying`` (which PostgreSQL
prints for ``varbit``: ``'{}'::bit varying[]``): loaded, planned, applied, and planned
again with no changes. Real server, through the CLI with a local scratch server."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.jobs (id bigint PRIMARY KEY, "while" integer NOT NULL, "vacuum" boolean);
INSERT INTO public.jobs VALUES (1, 0, true);
"""

FILES = """
CREATE TABLE public.jobs (
    id bigint PRIMARY KEY,
    while integer NOT NULL CHECK (while >= 0),
    vacuum boolean DEFAULT false,
    set text,
    deps regclass[] NOT NULL DEFAULT '{}'::regclass[],
    kinds regtype[] DEFAULT '{text}'::regtype[],
    masks varbit[] DEFAULT '{}',
    CONSTRAINT jobs_vacuum_or_set CHECK (vacuum OR set IS NOT NULL OR deps <> '{pg_class}'::regclass[])
);
CREATE INDEX jobs_while_idx ON public.jobs (while, set) WHERE vacuum;
"""


def test_keyword_names_and_reg_arrays_converge(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)
    code, output = run("plan")
    assert code == Exit.OK, output
    assert "+ check jobs_vacuum_or_set" in output and "column deps regclass[]" in output, output
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    with psycopg.connect(db_url) as conn:
        default = conn.execute(
            "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef JOIN pg_attribute ON (attrelid, attnum) = "
            "(adrelid, adnum) WHERE adrelid = 'public.jobs'::regclass AND attname = 'deps'"
        ).fetchone()
    assert default == ("'{}'::regclass[]",)
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output
