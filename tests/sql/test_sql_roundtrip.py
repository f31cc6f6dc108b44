"""SQL desired-state round trip on a real server: live database → ``inspect --format sql`` → the
same schema read back from a scratch database → a plan against the live database with no changes.

Every ``live.sql`` of the golden plan cases, and the catalog reader's own fixture, is loaded into a
fresh database; the schema read from it is written as SQL; that SQL, as the only file of a schema
directory, is loaded as a desired state (run in a scratch database on the same server and read
back); the result must equal what was read, object by object, and planning it against the live
database must find nothing to do.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, skip_unless_supported
from pgreconcile.catalog.reader import list_schemas, read_schema
from pgreconcile.catalog.scope import restrict
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare import load_files
from pgreconcile.declare.directory import load_directory
from pgreconcile.emit.to_sql import FRESH_PUBLIC, emit_sql
from pgreconcile.model import Namespace
from pgreconcile.plan import make_plan
from pgreconcile.platform import PLATFORM_SCHEMAS
from pgreconcile.render import render_text

TESTS = Path(__file__).resolve().parent.parent
# Live states that no SQL file can declare, so they cannot come back from one: a key made on a
# partitioned table alone (ALTER TABLE ONLY) stays invalid, half-attached, until each partition
# has one — PostgreSQL's own intermediate state, which that case shows the plan completing.
NOT_DECLARABLE = {"partition/attach-index-to-only-key"}
SOURCES = [
    *sorted(
        p for p in (TESTS / "cases").glob("*/*/live.sql")
        if f"{p.parent.parent.name}/{p.parent.name}" not in NOT_DECLARABLE
    ),
    TESTS / "catalog" / "shop.sql",
    TESTS / "sql" / "platform_and_serials.sql",
]


def _managed(source: Path) -> frozenset[str]:
    desired = source.parent / "desired.yaml"
    if desired.exists():
        return load_files([desired]).managed
    return frozenset({"app", "public", "Billing"})


@pytest.mark.parametrize("source", SOURCES, ids=[f"{p.parent.name}/{p.name}" for p in SOURCES])
def test_inspected_sql_loads_back_and_plans_no_changes(source: Path, db_url: str, tmp_path: Path) -> None:
    skip_unless_supported(source.parent, db_url)
    run_sql(db_url, source.read_text(encoding="utf-8"))
    with psycopg.connect(db_url) as conn:
        managed = _managed(source)
        live = read_schema(conn, managed)
        everything = read_schema(conn, [s for s in list_schemas(conn) if s not in PLATFORM_SCHEMAS])
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "inspected.sql").write_text(emit_sql(live), encoding="utf-8")

    desired = load_directory(schema_dir, target_url=db_url).schema

    # SQL files alone describe the whole database: every schema they create, and public
    # (which every new database has) even when they put nothing in it.
    expected = set(live.namespaces) | {"public"}
    assert desired.managed == expected
    # Objects equal as the model compares them, except SQL expressions: PostgreSQL does not
    # always print an expression it parsed from its own output the same way (an IN list comes
    # back as ARRAY[…]::text[], then as ARRAY[(…)::text, …]); the planner compares those
    # through the normalizer, which the no-changes plan below proves.
    assert set(desired.tables) == set(live.tables)
    for key, table in live.tables.items():
        got = desired.tables[key]
        assert got.columns == table.columns, key
        assert (got.primary_key, got.uniques, got.foreign_keys, got.comment) == (
            table.primary_key, table.uniques, table.foreign_keys, table.comment
        ), key
        assert [c.name for c in got.checks] == [c.name for c in table.checks], key
        assert [(i.name, i.unique, i.method, i.include) for i in got.indexes] == [
            (i.name, i.unique, i.method, i.include) for i in table.indexes
        ], key
    assert desired.enums == live.enums
    assert (desired.domains, desired.composite_types, desired.range_types) == (
        live.domains, live.composite_types, live.range_types
    )
    assert desired.extensions == live.extensions
    # [routines] functions, aggregates, event triggers and the triggers of managed tables
    assert desired.functions == live.functions
    assert desired.aggregates == live.aggregates
    assert desired.event_triggers == {k: e for k, e in live.event_triggers.items() if e.function[0] in managed}
    assert desired.triggers == {k: t for k, t in live.triggers.items() if k[0] in desired.managed}
    # `public`'s stock comment is not a declaration (every new database has it); a schema the
    # SQL creates without a comment is declared to have none ("").
    assert desired.namespaces == {
        n: dataclasses.replace(ns, comment=None) if ns == FRESH_PUBLIC
        else dataclasses.replace(ns, comment="") if n != "public" and ns.comment is None else ns
        for n, ns in live.namespaces.items()
        if n in desired.managed
    } | ({"public": Namespace("public")} if "public" in desired.managed and "public" not in live.namespaces else {})
    plan = make_plan(desired, restrict(everything, desired.managed), source="sql", target="live")
    assert not plan.has_changes, render_text(plan)


def test_cli_inspect_sql_then_plan_detailed_exitcode(db_url: str, tmp_path: Path) -> None:
    """The user's commands: ``inspect --format sql -o schema/app.sql``, then ``plan``."""
    run_sql(db_url, (TESTS / "catalog" / "shop.sql").read_text(encoding="utf-8"))
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    runner = CliRunner()
    result = runner.invoke(
        cli, ["inspect", "-d", db_url, "--format", "sql", "-o", str(schema_dir / "app.sql")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    text = (schema_dir / "app.sql").read_text()
    assert "CREATE TABLE app.accounts (" in text
    result = runner.invoke(
        cli, ["plan", "-d", db_url, "-s", str(schema_dir), "--detailed-exitcode"], catch_exceptions=False
    )
    assert result.exit_code == Exit.OK, result.output
    assert "No changes. The database matches the declarations." in result.output
