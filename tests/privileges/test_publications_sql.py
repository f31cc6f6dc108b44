"""Publications given as SQL files, on a real server: the owner the files set, the last
publication the files drop, and a column dropped while a live publication lists it. Each
transition is applied, planned again (no changes) and compared with a database built from the
files themselves."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql, skip_below
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.localpg import LocalServer, create_database, drop_database

TABLE = "CREATE SCHEMA pub_app;\nCREATE TABLE pub_app.t (id integer PRIMARY KEY, body text, flagged boolean);\n"
PUB = TABLE + "CREATE PUBLICATION pub_t FOR TABLE pub_app.t;\n"

TRANSITIONS = {
    # ALTER PUBLICATION … OWNER TO another role is declared and set.
    "owner": (PUB, PUB + "ALTER PUBLICATION pub_t OWNER TO pub_test_owner;"),
    # Files that drop their last publication still manage publications: the live one goes.
    "drop-last": (PUB, PUB + "DROP PUBLICATION pub_t;"),
    # The publications naming a column in a column list or row filter are narrowed or dropped
    # before the column goes (PostgreSQL refuses the drop while they name it).
    "column-dropped": (
        TABLE + "CREATE PUBLICATION pub_t FOR TABLE pub_app.t (id, body);\n"
        "CREATE PUBLICATION pub_flagged FOR TABLE pub_app.t WHERE (flagged) WITH (publish = 'insert');",
        "CREATE SCHEMA pub_app;\nCREATE TABLE pub_app.t (id integer PRIMARY KEY);\n"
        "CREATE PUBLICATION pub_t FOR TABLE pub_app.t (id);"),
}

SNAPSHOT = """
SELECT p.pubname, pg_get_userbyid(p.pubowner),
       (SELECT array_agg(c.relname || coalesce(' (' || r.prattrs::text || ')', '')
                         || coalesce(' where ' || pg_get_expr(r.prqual, r.prrelid), '') ORDER BY c.relname)
        FROM pg_publication_rel r JOIN pg_class c ON c.oid = r.prrelid WHERE r.prpubid = p.oid)::text
FROM pg_publication p
ORDER BY 1
"""


def _snapshot(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(SNAPSHOT).fetchall()]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("transition", sorted(TRANSITIONS))
def test_publication_sql_transitions_converge(
    transition: str, tmp_path: Path, db_url: str, pg_server: LocalServer
) -> None:
    skip_below(db_url, 150000, "publication column lists and row filters need PostgreSQL 15")
    run_sql(db_url, "DO $$ BEGIN CREATE ROLE pub_test_owner SUPERUSER; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    before, after = TRANSITIONS[transition]
    run_sql(db_url, before)
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "app.sql").write_text(after + "\n", encoding="utf-8")
    common = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("apply", *common, "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    fresh = f"pub_{uuid.uuid4().hex[:10]}"
    fresh_url = create_database(pg_server.url, fresh)
    try:
        run_sql(fresh_url, after)
        assert _snapshot(db_url) == _snapshot(fresh_url)
    finally:
        drop_database(pg_server.url, fresh)
