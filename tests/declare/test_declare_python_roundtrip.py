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

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.declare.emit_python import emit_python
from pgreconcile.plan import make_plan

TESTS = Path(__file__).resolve().parent.parent
SOURCES = [p for p in sorted((TESTS / "cases").glob("*/*/live.sql"))] + [TESTS / "catalog" / "shop.sql"]


def _managed(source: Path) -> frozenset[str]:
    desired = source.parent / "desired.yaml"
    if desired.exists():
        return load_files([desired]).managed
    return frozenset({"app", "public"})


@pytest.mark.parametrize("source", SOURCES, ids=[f"{p.parent.name}/{p.name}" for p in SOURCES])
def test_inspect_python_loads_back_unchanged(source: Path, db_url: str, tmp_path: Path) -> None:
    run_sql(db_url, source.read_text(encoding="utf-8"))
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, _managed(source))
    live = dataclasses.replace(live, managed=frozenset(live.namespaces))
    text = emit_python(live)
    path = tmp_path / "schema" / "inspected.py"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    loaded = load_files([path])
    assert loaded == live, text
    assert emit_python(loaded) == text
    plan = make_plan(loaded, live, source="inspected.py", target="the test database")
    assert not plan.has_changes, text
