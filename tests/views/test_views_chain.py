"""A column retyped under a two-level chain of views: the chain is re-created around the change,
its rows, comments and grants survive; a view outside the managed schemas refuses the plan instead."""

from __future__ import annotations

from pathlib import Path

import psycopg

from conftest import run_sql
from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.canonical import canonicalize
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.plan import make_plan

CASE = Path(__file__).resolve().parent.parent / "cases" / "view" / "column-retyped-under-chain"
ROWS = "SELECT id, shout FROM app.titles_upper ORDER BY id"


def _plan(db_url: str):  # type: ignore[no-untyped-def]
    declared = load_files([CASE / "desired.yaml"])
    with psycopg.connect(db_url) as conn:
        live = read_schema(conn, declared.managed)
        desired, _ = canonicalize(conn, declared, live)
    return make_plan(desired, live, source="desired.yaml", target="db")


def test_the_chain_is_recreated_with_its_rows_comments_and_grants(db_url: str) -> None:
    run_sql(db_url, (CASE / "live.sql").read_text())
    with psycopg.connect(db_url) as conn:
        before = conn.execute(ROWS).fetchall()
    plan = _plan(db_url)
    assert plan.refusals == []
    reasons = {s.label: s.reason for s in plan.steps}
    assert reasons["view app.titles"] == "re-created: reads column title"
    assert reasons["view app.titles_upper"] == "re-created: reads view app.titles"
    with psycopg.connect(db_url, autocommit=True) as conn:
        apply_plan(conn, plan, allow_destroy=False)
        assert conn.execute(ROWS).fetchall() == before == [(1, "FIRST"), (2, "SECOND")]
        comments = conn.execute(
            "SELECT obj_description('app.titles'::regclass), col_description('app.titles'::regclass, 2),"
            " obj_description('app.titles_upper'::regclass)"
        ).fetchone()
        acls = [
            (name, acl.replace("=arwdDxtm/", "=arwdDxt/"))  # the owner's MAINTAIN exists from PostgreSQL 17
            for name, acl in conn.execute(
                "SELECT relname, relacl::text FROM pg_class WHERE relname IN ('titles', 'titles_upper') ORDER BY 1"
            ).fetchall()
        ]
    assert comments == ("the titles", "a title", "shouting")
    # The grants of both re-created views are issued again.
    assert acls == [
        ("titles", "{postgres=arwdDxt/postgres,pgr_reader=r/postgres}"),
        ("titles_upper", "{postgres=arwdDxt/postgres,pgr_reader=r/postgres,=r/postgres}"),
    ]
    assert not _plan(db_url).has_changes


def test_a_view_outside_the_managed_schemas_refuses_the_plan(db_url: str) -> None:
    run_sql(db_url, (CASE / "live.sql").read_text())
    run_sql(db_url, "CREATE SCHEMA reports; CREATE VIEW reports.titles AS SELECT title FROM app.notes;")
    plan = _plan(db_url)
    assert any(r.startswith("view reports.titles reads app.notes.title") for r in plan.refusals), plan.refusals
