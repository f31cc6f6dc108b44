"""Apply: all or nothing, gated destruction, one apply at a time."""

from __future__ import annotations

import dataclasses
from typing import Any

import psycopg
import pytest

from conftest import run_sql
from pgreconcile.apply.runner import ADVISORY_LOCK_KEY, Timeouts, apply_plan
from pgreconcile.catalog.reader import read_schema
from pgreconcile.errors import ApplyFailed, PlanRefused
from pgreconcile.model import Column, Conversion, Index, Schema, Table, UniqueConstraint
from pgreconcile.plan import Plan, make_plan
from pgreconcile.plan.model import Step

LIVE = """
CREATE TABLE public.accounts (id integer PRIMARY KEY, email text, nickname text);
INSERT INTO public.accounts VALUES (1, 'a@example.com', 'a'), (2, 'a@example.com', 'b');
"""


def _live(url: str) -> Schema:
    with psycopg.connect(url) as conn:
        return read_schema(conn, ["public"])


def _plan_for(url: str, change: callable) -> Plan:  # type: ignore[valid-type]
    live = _live(url)
    table = live.tables[("public", "accounts")]
    desired = dataclasses.replace(live, tables={("public", "accounts"): change(table)})
    return make_plan(desired, live, source="test", target="test")


def test_a_failing_step_rolls_everything_back_and_names_the_step(db_url: str) -> None:
    run_sql(db_url, LIVE)
    before = _live(db_url)

    def change(t: Table) -> Table:
        # A new column and index succeed; the UNIQUE on duplicated emails then fails.
        return dataclasses.replace(
            t,
            columns=(*t.columns, Column("created_at", "timestamp with time zone", default="now()")),
            uniques=(UniqueConstraint("accounts_email_key", ("email",)),),
            indexes=(Index("accounts_nickname_idx", ("nickname",)),),
        )

    plan = _plan_for(db_url, change)
    assert len(plan.steps) == 3
    with psycopg.connect(db_url) as conn, pytest.raises(ApplyFailed) as failure:
        apply_plan(conn, plan)
    message = failure.value.render()
    assert "unique accounts_email_key" in message
    assert "SQLSTATE 23505" in message
    assert "rolled back" in message
    assert _live(db_url) == before


def test_dropping_a_column_is_refused_without_allow_destroy(db_url: str) -> None:
    run_sql(db_url, LIVE)
    plan = _plan_for(db_url, lambda t: dataclasses.replace(t, columns=t.columns[:2]))
    assert plan.destroys_data
    with psycopg.connect(db_url) as conn, pytest.raises(PlanRefused, match="--allow-destroy"):
        apply_plan(conn, plan)
    assert [c.name for c in _live(db_url).tables[("public", "accounts")].columns] == ["id", "email", "nickname"]

    with psycopg.connect(db_url) as conn:
        apply_plan(conn, plan, allow_destroy=True)
    assert [c.name for c in _live(db_url).tables[("public", "accounts")].columns] == ["id", "email"]


def test_a_second_apply_waits_for_the_lock_then_fails_clearly(db_url: str) -> None:
    run_sql(db_url, LIVE)
    plan = _plan_for(db_url, lambda t: dataclasses.replace(t, comment="accounts"))
    with psycopg.connect(db_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        with psycopg.connect(db_url) as conn, pytest.raises(ApplyFailed, match="another apply holds"):
            apply_plan(conn, plan, timeouts=Timeouts(lock_timeout_ms=200))
    assert _live(db_url).tables[("public", "accounts")].comment is None
    with psycopg.connect(db_url) as conn:
        apply_plan(conn, plan)
    assert _live(db_url).tables[("public", "accounts")].comment == "accounts"


def test_a_refused_plan_never_runs(db_url: str) -> None:
    run_sql(db_url, LIVE)
    plan = _plan_for(db_url, lambda t: dataclasses.replace(t, comment="x"))
    plan.refusals.append("enum public.mood: live label 'meh' is not declared")
    with psycopg.connect(db_url) as conn, pytest.raises(PlanRefused, match="meh"):
        apply_plan(conn, plan)
    assert _live(db_url).tables[("public", "accounts")].comment is None


def test_a_failure_after_labels_were_committed_says_so(db_url: str) -> None:
    run_sql(
        db_url,
        "CREATE TYPE public.risk AS ENUM ('low', 'high');"
        "CREATE TABLE public.t (id integer PRIMARY KEY, r public.risk, n text);"
        "INSERT INTO public.t VALUES (1, 'low', 'not a number');",
    )
    live = _live(db_url)
    enum = live.enums[("public", "risk")]
    table = live.tables[("public", "t")]
    columns = (
        table.columns[0],
        dataclasses.replace(table.columns[1], default="'critical'::public.risk"),
        # `on_invalid: fail` is PostgreSQL's own cast, which fails on 'not a number'.
        dataclasses.replace(table.columns[2], type="numeric", convert=Conversion(on_invalid="fail")),
    )
    desired = dataclasses.replace(
        live,
        enums={("public", "risk"): dataclasses.replace(enum, values=("low", "high", "critical"))},
        tables={("public", "t"): dataclasses.replace(table, columns=columns)},
    )
    plan = make_plan(desired, live, source="test", target="test")
    with psycopg.connect(db_url) as conn, pytest.raises(ApplyFailed) as failure:
        apply_plan(conn, plan)
    message = failure.value.render()
    assert "The transaction was rolled back. Committed before it, as the plan showed:" in message
    assert "add value 'critical'" in message
    assert "Nothing was applied" not in message
    after = _live(db_url)
    assert after.enums[("public", "risk")].values == ("low", "high", "critical")
    assert after.tables[("public", "t")] == table


def test_a_connection_lost_after_everything_ran_is_not_reported_as_rolled_back(db_url: str) -> None:
    """The last step (a CONCURRENTLY index, after the commit) ran; then the session is ended
    before apply gives the lock back. Everything was applied, and apply must not say otherwise."""
    run_sql(db_url, "DROP TABLE IF EXISTS public.t; CREATE TABLE public.t (id int)")
    live = _live(db_url)
    table = live.tables[("public", "t")]
    index = Index("t_id_idx", ("id",))
    desired = dataclasses.replace(live, tables={("public", "t"): dataclasses.replace(table, indexes=(index,))})
    plan = make_plan(desired, live, source="test", target="test", concurrently=True)
    assert [s.phase.name for s in plan.steps] == ["AFTER"], plan.steps

    class EndsTheSessionAfterTheLastStep:
        def __init__(self, conn: psycopg.Connection[Any]) -> None:
            self.conn = conn

        def started(self, step: Step) -> None:
            pass

        def finished(self, step: Step, seconds: float) -> None:
            with psycopg.connect(db_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (self.conn.info.backend_pid,))

        def failed(self, step: Step, seconds: float) -> None:
            pass

    with psycopg.connect(db_url) as conn:
        summary = apply_plan(conn, plan, observer=EndsTheSessionAfterTheLastStep(conn))
    assert summary.add == 1
    assert [i.name for i in _live(db_url).tables[("public", "t")].indexes] == ["t_id_idx"]
