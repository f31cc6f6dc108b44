"""A CHECK read back from the catalog, sent again, must be stored as it was: the printed text is
what SQL-file declarations carry, so a second print that differs would show in every dump."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from pgreconcile.normalize.reparse import as_reparsable

CHECKS = [
    "status IN ('pending', 'shipped', 'it''s')",
    "status NOT IN ('a', 'b')",
    "status IN ('a') AND code IN ('x', 'y')",
    "(status)::text = ANY (ARRAY['a'::text, 'b'::text])",
    "n IN (1, 2)",
    "flag IN ('a', 'b')",
]


def _printed(conn: psycopg.Connection[Any], name: str) -> str:
    row = conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", (name,)
    ).fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize("expression", CHECKS)
def test_a_printed_check_sent_again_prints_the_same(expression: str, db_conn: psycopg.Connection[Any]) -> None:
    db_conn.execute("CREATE TABLE t (status varchar(10), code character varying, flag char(1), n bigint)")
    db_conn.execute(f"ALTER TABLE t ADD CONSTRAINT written CHECK ({expression})")
    printed = _printed(db_conn, "written").removeprefix("CHECK ")
    db_conn.execute(f"ALTER TABLE t ADD CONSTRAINT resent CHECK {as_reparsable(printed)}")
    assert _printed(db_conn, "resent") == _printed(db_conn, "written")


def test_without_the_rewrite_the_varchar_in_list_prints_differently(db_conn: psycopg.Connection[Any]) -> None:
    # What the rewrite is for: PostgreSQL pushes the written ::text[] into the elements.
    db_conn.execute("CREATE TABLE t (status varchar(10))")
    db_conn.execute("ALTER TABLE t ADD CONSTRAINT written CHECK (status IN ('a', 'b'))")
    printed = _printed(db_conn, "written").removeprefix("CHECK ")
    db_conn.execute(f"ALTER TABLE t ADD CONSTRAINT resent CHECK {printed}")
    assert _printed(db_conn, "resent") != _printed(db_conn, "written")
    assert as_reparsable(printed) != printed


def test_an_index_predicate_and_a_policy_sent_again_print_the_same(db_conn: psycopg.Connection[Any]) -> None:
    db_conn.execute("CREATE TABLE t (status varchar(10))")
    db_conn.execute("CREATE INDEX written ON t (status) WHERE status IN ('a', 'b')")
    db_conn.execute("CREATE POLICY written ON t USING (status NOT IN ('x'))")

    def predicate(name: str) -> str:
        row = db_conn.execute("SELECT pg_get_expr(indpred, indrelid) FROM pg_index "
                              "WHERE indexrelid = %s::regclass", (name,)).fetchone()
        assert row is not None
        return str(row[0])

    def using(name: str) -> str:
        row = db_conn.execute("SELECT qual FROM pg_policies WHERE policyname = %s", (name,)).fetchone()
        assert row is not None
        return str(row[0])

    db_conn.execute(f"CREATE INDEX resent ON t (status) WHERE {as_reparsable(predicate('written'))}")
    db_conn.execute(f"CREATE POLICY resent ON t USING ({as_reparsable(using('written'))})")
    assert predicate("resent") == predicate("written")
    assert using("resent") == using("written")
