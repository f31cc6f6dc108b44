"""``reconcile inspect`` round trip against a real server: live database → YAML → the same model.

Every ``live.sql`` of the golden plan cases, and the catalog reader's own fixture, is loaded into
a fresh database; the schema read back is written as YAML, that YAML is loaded as declarations,
and the result must equal what was read. This is the proof that inspect loses nothing and that
the declaration language can say everything the catalog reader reports.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import psycopg
import pytest

from conftest import named_not_nulls, password_masked, run_sql, skip_unless_supported
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.emit.to_yaml import emit_yaml

TESTS = Path(__file__).resolve().parent.parent
SOURCES = [p for p in sorted((TESTS / "cases").glob("*/*/live.sql"))] + [TESTS / "catalog" / "shop.sql"]


def _managed(source: Path) -> frozenset[str]:
    desired = source.parent / "desired.yaml"
    if desired.exists():
        return load_files([desired]).managed
    return frozenset({"app", "public"})


@pytest.mark.parametrize("source", SOURCES, ids=[f"{p.parent.name}/{p.name}" for p in SOURCES])
def test_inspect_output_loads_back_unchanged(source: Path, db_url: str, tmp_path: Path) -> None:
    skip_unless_supported(source.parent, db_url)
    run_sql(db_url, source.read_text(encoding="utf-8"))
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, _managed(source))
    # A managed schema that does not exist is not declared by inspect (that would create it).
    live = dataclasses.replace(live, managed=frozenset(live.namespaces))
    text = emit_yaml(live)
    path = tmp_path / "inspected.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_files([path])
    assert loaded == password_masked(live)  # a subscription's password is never written
    assert named_not_nulls(loaded) == named_not_nulls(live)  # PostgreSQL 17/18 NOT NULL names
    assert emit_yaml(loaded) == text
