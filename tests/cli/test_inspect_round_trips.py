"""`reconcile inspect` writes what these objects hold, and the files build it again: a deferrable
primary key, a view option set to false, an aggregate's grants, ordered-set, hypothetical-set
and argument-less (``*``) aggregates, a column's statistics target and attribute options, a typed
table — in YAML, Python and SQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.localpg import LocalServer, create_database, drop_database

LIVE = """
DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
CREATE TABLE app.slots (id integer, CONSTRAINT slots_pkey PRIMARY KEY (id) DEFERRABLE);
CREATE TABLE app.steps (run integer, n integer, CONSTRAINT steps_pk PRIMARY KEY (run, n) DEFERRABLE INITIALLY DEFERRED);
CREATE VIEW app.open_slots WITH (security_barrier = false) AS SELECT id FROM app.slots;
CREATE AGGREGATE app.joined(text) (SFUNC = textcat, STYPE = text);
REVOKE EXECUTE ON FUNCTION app.joined(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.joined(text) TO anon;
CREATE AGGREGATE app.mode_of(ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = mode_final, FINALFUNC_EXTRA);
CREATE AGGREGATE app.rank_of(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);
CREATE AGGREGATE app.pct(float8 ORDER BY float8) (
    SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_cont_float8_final);
CREATE AGGREGATE app.rows_seen(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
GRANT EXECUTE ON FUNCTION app.rank_of("any") TO anon;
CREATE TABLE app.tallies (n integer, k text);
ALTER TABLE app.tallies ALTER COLUMN n SET STATISTICS 500, ALTER COLUMN k SET (n_distinct = -0.5);
CREATE TYPE app.point2 AS (x integer, y integer);
CREATE TABLE app.points OF app.point2 (x WITH OPTIONS NOT NULL DEFAULT 0);
"""

FACTS = """
SELECT 'pk', conname, condeferrable::text || ' ' || condeferred::text FROM pg_constraint
 WHERE contype = 'p' AND connamespace = 'app'::regnamespace
UNION ALL SELECT 'view', relname, reloptions::text FROM pg_class
 WHERE relkind = 'v' AND relnamespace = 'app'::regnamespace
UNION ALL SELECT 'aggregate', proname,
       pg_get_function_arguments(p.oid) || ' ' || a.aggkind::text || ' ' || COALESCE(proacl::text, '-')
 FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid WHERE pronamespace = 'app'::regnamespace
UNION ALL SELECT 'column', attname,
 coalesce(nullif(attstattarget, -1)::text, '-') || ' ' || coalesce(attoptions::text, '-')
 FROM pg_attribute WHERE attrelid = 'app.tallies'::regclass AND attnum > 0
UNION ALL SELECT 'typed', relname, reloftype::regtype::text FROM pg_class
 WHERE relkind = 'r' AND reloftype <> 0 AND relnamespace = 'app'::regnamespace
ORDER BY 1, 2
"""


def _facts(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(FACTS).fetchall()]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt,name", [("yaml", "app.yaml"), ("python", "app.py"), ("sql", "app.sql")])
def test_inspect_writes_them_and_the_files_build_them(
    fmt: str, name: str, tmp_path: Path, db_url: str, pg_server: LocalServer
) -> None:
    run_sql(db_url, LIVE)
    expected = _facts(db_url)
    assert ("pk", "steps_pk", "true true") in expected
    assert ("view", "open_slots", "{security_barrier=false}") in expected
    rank_of = next(row[2] for row in expected if row[1] == "rank_of")
    assert rank_of.startswith('VARIADIC "any" ORDER BY VARIADIC "any" h {') and "anon=X" in rank_of
    assert ("aggregate", "rows_seen", " n -") in expected  # (*): no argument
    assert ("typed", "points", "app.point2") in expected
    assert ("column", "n", "500 -") in expected and ("column", "k", "- {n_distinct=-0.5}") in expected
    directory = tmp_path / "schema"
    directory.mkdir()
    code, output = _invoke("inspect", "-d", db_url, "--schema", "app", "--format", fmt, "-o", str(directory / name))
    assert code == 0, output
    code, output = _invoke("plan", "-s", str(directory), "-d", db_url, "--detailed-exitcode")
    assert code == 0, output
    fresh = f"pgr_round_trip_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        scratch = ("--scratch", "local") if fmt == "sql" else ()
        code, output = _invoke("apply", "-s", str(directory), "-d", fresh_url, "--auto-approve", *scratch)
        assert code == 0, output
        assert _facts(fresh_url) == expected
    finally:
        drop_database(pg_server.url, fresh)
