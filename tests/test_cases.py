"""Golden cases: tests/cases/<kind>/<case>/ with live.sql, desired.yaml and plan.txt.

Each case, on a fresh database of a real PostgreSQL:
1. builds the live state from live.sql;
2. plans against desired.yaml, probing the data as ``reconcile plan`` does, and compares the
   text plan and its SQL with plan.txt;
3. applies the plan (with --allow-destroy: the gate itself is tested elsewhere);
4. reads the catalog back and compares it with the declaration, object by object;
5. plans again and expects no changes.

A case that uses a feature of a newer PostgreSQL holds a file ``min_version`` with the lowest
major it runs on (``15`` for ``UNIQUE NULLS NOT DISTINCT``); on an older server it is skipped,
saying so (``make test-matrix`` runs the cases on every supported major).

Regenerate expectations after a deliberate change with ``RECONCILE_REGEN=1 make test`` (or
``pytest tests/test_cases.py --regen``) and review the diff; run a few with ``-k <case>``.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.diff.policies import same_policy
from pgreconcile.model import Schema
from pgreconcile.normalize.expressions import equivalent
from pgreconcile.plan import Plan, make_plan
from pgreconcile.probe import DataProber
from pgreconcile.render import render_sql, render_text

CASES = Path(__file__).parent / "cases"
CASE_DIRS = sorted(p.parent for p in CASES.glob("*/*/desired.yaml"))


def _plan_text(plan: Plan) -> str:
    return render_text(plan) + "\n" + render_sql(plan)


def _assert_matches_declaration(desired: Schema, live: Schema) -> None:
    """The catalog, read back, holds exactly the declared objects with the declared shapes."""
    assert set(live.tables) == set(desired.tables)
    assert set(live.enums) == set(desired.enums)
    for key, enum in desired.enums.items():
        assert live.enums[key].values == enum.values, key
    for name in desired.extensions:
        assert name in live.extensions
    for key, table in desired.tables.items():
        got = live.tables[key]
        assert [c.name for c in got.columns] == [c.name for c in table.columns], key
        for want, have in zip(table.columns, got.columns, strict=True):
            assert (have.type, have.nullable, have.identity, have.comment) == (
                want.type, want.nullable, want.identity, want.comment,
            ), f"{key}.{want.name}"
            assert equivalent(have.default, want.default), f"{key}.{want.name} default"
        assert got.primary_key == table.primary_key, key
        assert sorted(got.uniques, key=lambda u: u.name) == sorted(table.uniques, key=lambda u: u.name), key
        assert sorted(got.foreign_keys, key=lambda f: f.name) == sorted(table.foreign_keys, key=lambda f: f.name)
        assert {c.name for c in got.checks} == {c.name for c in table.checks}, key
        assert {i.name for i in got.indexes} == {i.name for i in table.indexes}, key
        assert got.comment == table.comment, key
        assert (got.rls_enabled, got.rls_forced) == (table.rls_enabled, table.rls_forced), key
        assert [p.name for p in got.policies] == [p.name for p in table.policies], key
        for want_policy, have_policy in zip(table.policies, got.policies, strict=True):
            assert same_policy(want_policy, have_policy), f"{key} policy {want_policy.name}"


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_case(case: Path, db_url: str, regen: bool) -> None:
    required = case / "min_version"
    if required.exists():
        with psycopg.connect(db_url) as conn:
            major = conn.info.server_version // 10000
        if major < int(required.read_text().strip()):
            pytest.skip(f"needs PostgreSQL {required.read_text().strip()}+ (this server is {major})")
    live_sql = case / "live.sql"
    if live_sql.exists():
        run_sql(db_url, live_sql.read_text())
    desired = load_files([case / "desired.yaml"])

    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
        # Probed as `reconcile plan` probes, so the golden text is what a user reads.
        plan = make_plan(desired, live, source="desired.yaml", target="the test database", probe=DataProber(conn))
    text = _plan_text(plan)
    golden = case / "plan.txt"
    if regen or not golden.exists():
        golden.write_text(text)
    assert text == golden.read_text(), f"plan differs from {golden} (RECONCILE_REGEN=1 to regenerate)"
    assert plan.has_changes, "a case must change something"

    with psycopg.connect(db_url, autocommit=True) as conn:
        apply_plan(conn, plan, allow_destroy=True)
        after = read_schema(conn, desired.managed)
    _assert_matches_declaration(desired, after)
    again = make_plan(desired, after, source="desired.yaml", target="the test database")
    assert not again.has_changes, "planning again after apply must show no changes:\n" + render_text(again)
