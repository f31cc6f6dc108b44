"""``reconcile inspect --format python`` round trip against a real server.

Every ``live.sql`` of the golden plan cases, and the catalog reader's own fixture, is loaded into
a fresh database; the schema read back is written as a Python declaration file, that file is
imported as declarations, and the result must equal what was read — and a plan of it against the
same database must have no changes. This is the proof that the Python emitter loses nothing and
that the Python language can say everything the catalog reader reports.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import psycopg
import pytest

from conftest import named_not_nulls, password_masked, run_sql, skip_unless_supported
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.emit.to_python import emit_python
from pgreconcile.model import Schema
from pgreconcile.plan import make_plan

TESTS = Path(__file__).resolve().parent.parent
SOURCES = [p for p in sorted((TESTS / "cases").glob("*/*/live.sql"))] + [TESTS / "catalog" / "shop.sql"]
# Declarations whose applied state no live.sql holds: a JSONB group is, once applied, a
# `jsonb NOT NULL DEFAULT '{}'` column with a GIN index and a jsonb_typeof CHECK.
APPLIED = [p for p in sorted((TESTS / "cases").glob("*/*/desired.yaml")) if "groups:" in p.read_text()]


def _managed(source: Path) -> frozenset[str]:
    desired = source.parent / "desired.yaml"
    if desired.exists():
        return load_files([desired]).managed
    return frozenset({"app", "public"})


@pytest.mark.parametrize("source", SOURCES, ids=[f"{p.parent.name}/{p.name}" for p in SOURCES])
def test_inspect_python_loads_back_unchanged(source: Path, db_url: str, tmp_path: Path) -> None:
    skip_unless_supported(source.parent, db_url)
    run_sql(db_url, source.read_text(encoding="utf-8"))
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, _managed(source))
    _round_trip(live, tmp_path)


@pytest.mark.parametrize("desired", APPLIED, ids=[p.parent.name for p in APPLIED])
def test_inspect_python_of_an_applied_declaration(desired: Path, db_url: str, tmp_path: Path) -> None:
    live_sql = desired.parent / "live.sql"
    if live_sql.exists():
        run_sql(db_url, live_sql.read_text(encoding="utf-8"))
    declared = load_files([desired])
    with psycopg.connect(db_url, autocommit=True) as conn:
        before = read_schema(conn, declared.managed)
        apply_plan(conn, make_plan(declared, before, source="desired.yaml", target="db"), allow_destroy=True)
        live = read_schema(conn, declared.managed)
    text = _round_trip(live, tmp_path)
    assert "jsonb_typeof" in text and 'method="gin"' in text  # the group's CHECK and GIN index are there


def _round_trip(live: Schema, tmp_path: Path) -> str:
    """Emit ``live`` as Python, load it back: equal, emitted the same again, and no changes."""
    live = dataclasses.replace(live, managed=frozenset(live.namespaces))
    text = emit_python(live)
    path = tmp_path / "schema" / "inspected.py"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    loaded = load_files([path])
    assert loaded == password_masked(live), text  # a subscription's password is never written
    assert named_not_nulls(loaded) == named_not_nulls(live), text  # PostgreSQL 17/18 NOT NULL names
    assert emit_python(loaded) == text
    plan = make_plan(loaded, live, source="inspected.py", target="the test database")
    assert not plan.has_changes, text
    return text
