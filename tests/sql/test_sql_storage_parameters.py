"""Storage parameters and view flags are compared by value but written as the SQL files write
them (``autovacuum_enabled = off`` stays ``off``, ``security_barrier = on`` stays ``on``, in the
files' order): PostgreSQL keeps a reloption as text, so the catalog — and a dump of it — then
says what the files say. Real server, through the CLI with a local scratch server."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql, sql_files_cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.kept (a integer PRIMARY KEY, b text);
CREATE TABLE public.same (a integer) WITH (autovacuum_enabled = false);
CREATE VIEW public.v AS SELECT a FROM public.kept;
"""

FILES = """
CREATE TABLE public.kept (a integer PRIMARY KEY, b text);
ALTER TABLE public.kept SET (autovacuum_vacuum_scale_factor = 0.44, autovacuum_analyze_scale_factor = 0.22);
CREATE TABLE public.added (a integer, b date)
    WITH (autovacuum_enabled = off, autovacuum_vacuum_scale_factor = 0.4, fillfactor = 70);
CREATE INDEX added_a ON public.added (a) WITH (fillfactor = 80, deduplicate_items = off);
CREATE TABLE public.same (a integer) WITH (autovacuum_enabled = off);
CREATE VIEW public.v WITH (security_barrier = on) AS SELECT a FROM public.kept;
CREATE MATERIALIZED VIEW public.m WITH (fillfactor = 70, autovacuum_enabled = off) AS SELECT 1 AS x;
"""


def _reloptions(url: str) -> dict[str, list[str] | None]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        ).fetchall()
    return dict(rows)


def test_storage_parameters_are_written_as_the_files_write_them(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    run = sql_files_cli(tmp_path, db_url, FILES)
    code, output = run("apply", "--auto-approve")
    assert code == Exit.OK, output
    got = _reloptions(db_url)
    assert got["kept"] == ["autovacuum_vacuum_scale_factor=0.44", "autovacuum_analyze_scale_factor=0.22"]
    assert got["added"] == ["autovacuum_enabled=off", "autovacuum_vacuum_scale_factor=0.4", "fillfactor=70"]
    assert got["added_a"] == ["fillfactor=80", "deduplicate_items=off"]
    assert got["v"] == ["security_barrier=on"]
    assert got["m"] == ["fillfactor=70", "autovacuum_enabled=off"]
    # false and off are one value: nothing is planned for it, and the live spelling stays.
    assert got["same"] == ["autovacuum_enabled=false"]
    code, output = run("plan", "--detailed-exitcode")
    assert code == Exit.OK, output
