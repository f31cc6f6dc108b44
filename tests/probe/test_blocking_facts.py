"""Data that would make the apply fail refuses the plan, with the numbers and what to do.

Each case builds live data that a change cannot survive (orphans under a new foreign key, NULLs
under NOT NULL, duplicates under UNIQUE, values a conversion rejects …). ``reconcile plan``
must show the fact next to the change, refuse (exit 1), and ``reconcile apply`` must refuse too
and leave the database exactly as it was — these cases cannot be golden apply cases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.catalog.reader import read_schema
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit


def _case(live: str, desired: str, fact: str) -> tuple[str, str, str]:
    return live, desired, fact


CASES = {
    "orphans-block-foreign-key": _case(
        """
        CREATE TABLE public.parents (id bigint PRIMARY KEY);
        CREATE TABLE public.children (id bigint PRIMARY KEY, parent_id bigint);
        INSERT INTO public.parents VALUES (1), (2);
        INSERT INTO public.children VALUES (1, 1), (2, 2), (3, 3), (4, NULL), (5, 7);
        """,
        """
      parents:
        columns:
          id: {type: bigint, primary_key: true}
      children:
        columns:
          id: {type: bigint, primary_key: true}
          parent_id: {type: bigint, references: parents.id}
        """,
        "2 of 4 rows reference no row of public.parents: apply will fail",
    ),
    "nulls-block-not-null": _case(
        """
        CREATE TABLE public.users (id bigint PRIMARY KEY, email text);
        INSERT INTO public.users VALUES (1, 'a@example.com'), (2, NULL), (3, 'c@example.com');
        """,
        """
      users:
        columns:
          id: {type: bigint, primary_key: true}
          email: {type: text, nullable: false}
        """,
        "1 of 3 rows is NULL: apply will fail",
    ),
    "rows-block-new-not-null-column": _case(
        """
        CREATE TABLE public.users (id bigint PRIMARY KEY);
        INSERT INTO public.users VALUES (1), (2);
        """,
        """
      users:
        columns:
          id: {type: bigint, primary_key: true}
          tenant: {type: text, nullable: false}
        """,
        "2 existing rows would hold NULL: apply will fail",
    ),
    "duplicates-block-unique": _case(
        """
        CREATE TABLE public.users (id bigint PRIMARY KEY, email text);
        INSERT INTO public.users VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x'), (4, 'b@x'), (5, 'b@x'),
          (6, NULL), (7, NULL);
        """,
        """
      users:
        columns:
          id: {type: bigint, primary_key: true}
          email: {type: text, unique: true}
        """,
        "2 key values are each held by more than one row (5 of 5 rows): apply will fail",
    ),
    "duplicates-block-unique-expression-index": _case(
        """
        CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);
        INSERT INTO public.users VALUES (1, 'Ada@example.com'), (2, 'ada@EXAMPLE.com'), (3, 'grace@example.com');
        """,
        """
      users:
        columns:
          id: {type: bigint, primary_key: true}
          email: {type: text, nullable: false}
        indexes:
          users_lower_email_idx: {columns: [lower(email)], unique: true}
        """,
        "1 key value is held by more than one row (2 of 3 rows): apply will fail",
    ),
    "nulls-and-duplicates-block-primary-key": _case(
        """
        CREATE TABLE public.codes (code text, label text);
        INSERT INTO public.codes VALUES ('a', 'x'), ('a', 'y'), (NULL, 'z');
        """,
        """
      codes:
        columns:
          code: text
          label: text
        primary_key: [code]
        """,
        "1 of 3 rows has a NULL in the key: apply will fail",
    ),
    "duplicates-after-conversion-block-unique": _case(
        """
        CREATE TABLE public.slots (id bigint PRIMARY KEY, position numeric);
        INSERT INTO public.slots VALUES (1, 1.4), (2, 1.2), (3, 2);
        """,
        """
      slots:
        columns:
          id: {type: bigint, primary_key: true}
          position: {type: integer, unique: true, convert: {on_invalid: fail}}
        """,
        "1 key value is held by more than one row (2 of 3 rows): apply will fail",
    ),
    "not-uuids-block-conversion": _case(
        """
        CREATE TABLE public.sessions (id bigint PRIMARY KEY, session_id character varying);
        INSERT INTO public.sessions SELECT g, gen_random_uuid()::text FROM generate_series(1, 9) AS g;
        INSERT INTO public.sessions VALUES (10, 'legacy-1'), (11, ''), (12, 'n/a'), (13, NULL);
        """,
        """
      sessions:
        columns:
          id: {type: bigint, primary_key: true}
          session_id: {type: uuid, convert: {on_invalid: fail}}
        """,
        "3 of 12 values are not uuids: apply will fail",
    ),
    "long-values-block-varchar": _case(
        """
        CREATE TABLE public.items (id bigint PRIMARY KEY, code text);
        INSERT INTO public.items VALUES (1, 'short'), (2, 'much too long'), (3, 'ten chars '), (4, 'eleven char');
        """,
        """
      items:
        columns:
          id: {type: bigint, primary_key: true}
          code: {type: varchar(10), convert: {on_invalid: fail}}
        """,
        "2 of 4 values are longer than 10 characters: apply will fail",
    ),
    "values-outside-labels-block-enum": _case(
        """
        CREATE TABLE public.tickets (id bigint PRIMARY KEY, status text);
        INSERT INTO public.tickets VALUES (1, 'open'), (2, 'closed'), (3, 'Closed'), (4, 'archived'), (5, NULL);
        """,
        """
      tickets:
        columns:
          id: {type: bigint, primary_key: true}
          status: ticket_status
    enums:
      ticket_status: [open, closed]
        """,
        "2 of 4 values are not labels of public.ticket_status: apply will fail",
    ),
    "rows-failing-a-new-check": _case(
        """
        CREATE TABLE public.products (id bigint PRIMARY KEY, price numeric);
        INSERT INTO public.products VALUES (1, 10), (2, 0), (3, -1), (4, NULL);
        """,
        """
      products:
        columns:
          id: {type: bigint, primary_key: true}
          price: {type: numeric, check: price > 0}
        """,
        "2 of 4 rows fail the check: apply will fail",
    ),
}


def _write(tmp_path: Path, body: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    head = "version: 1\nschemas:\n  public:\n    tables:\n"
    # The bodies are written at their YAML depth (tables at six spaces); only the blank first
    # and last lines of the triple-quoted string go.
    (directory / "app.yaml").write_text(head + "\n".join(body.splitlines()[1:-1]) + "\n")
    return directory


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _snapshot(url: str) -> Any:
    """The catalog and the rows of every table: what a refused apply must leave untouched."""
    with psycopg.connect(url) as conn:
        schema = read_schema(conn, ["public"])
        rows = {
            name: conn.execute(f"SELECT * FROM public.{name} ORDER BY 1").fetchall()  # names from the catalog
            for (_, name) in schema.tables
        }
    return schema, rows


@pytest.mark.parametrize("name", list(CASES))
def test_data_that_would_fail_the_apply_refuses_the_plan(name: str, tmp_path: Path, db_url: str) -> None:
    live, desired, fact = CASES[name]
    run_sql(db_url, live)
    schema = _write(tmp_path, desired)
    args = ("--schema-dir", str(schema), "--database-url", db_url)

    code, output = _invoke("plan", *args, "--no-color")
    assert code == Exit.ERROR, output
    change_line = next(line for line in output.splitlines() if fact in line and not line.startswith("Refused"))
    assert change_line.startswith("  "), "the fact is shown next to its change"
    refusal = next(line for line in output.splitlines() if line.startswith("Refused:") and fact in line)
    assert refusal.endswith("then plan again")
    assert "This plan cannot be applied until the data or the declarations change." in output

    before = _snapshot(db_url)
    code, output = _invoke("apply", *args, "--auto-approve", "--allow-destroy", "--no-color")
    assert code == Exit.ERROR
    assert fact in output
    assert _snapshot(db_url) == before, "a refused apply changed the database"


def test_the_json_plan_carries_the_blocking_fact_and_its_refusal(tmp_path: Path, db_url: str) -> None:
    live, desired, fact = CASES["orphans-block-foreign-key"]
    run_sql(db_url, live)
    schema = _write(tmp_path, desired)
    result = CliRunner().invoke(
        cli, ["plan", "--schema-dir", str(schema), "--database-url", db_url, "--json"], catch_exceptions=False
    )
    assert result.exit_code == Exit.ERROR
    document = json.loads(result.stdout)  # the refusal's reason also goes to stderr (issue 18)
    assert "Error: the plan is refused:" in result.stderr
    step = next(s for s in document["steps"] if s["kind"] == "foreign key")
    assert step["facts"] == [fact]
    assert step["probes"] == [{"kind": "orphans", "count": 2, "total": 4, "blocks": True, "text": fact}]
    assert any(fact in r for r in document["refusals"])


def test_probe_timeout_zero_disables_probes(tmp_path: Path, db_url: str) -> None:
    live, desired, fact = CASES["orphans-block-foreign-key"]
    run_sql(db_url, live)
    schema = _write(tmp_path, desired)
    code, output = _invoke(
        "plan", "--schema-dir", str(schema), "--database-url", db_url, "--probe-timeout", "0", "--no-color"
    )
    assert code == Exit.OK
    assert fact not in output
    assert "may fail on existing data" in output, "without probes the hazard is all the plan can say"


def test_the_markdown_plan_shows_facts_in_the_change_table(tmp_path: Path, db_url: str) -> None:
    live, desired, fact = CASES["nulls-block-not-null"]
    run_sql(db_url, live)
    schema = _write(tmp_path, desired)
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--markdown")
    assert code == Exit.ERROR
    row = next(line for line in output.splitlines() if line.startswith("| 1 |"))
    assert row.endswith(f"| ACCESS EXCLUSIVE lock · scans every row to validate · may fail on existing data · {fact} |")
    refusals = [line for line in output.splitlines() if line.startswith("> Refused: public.users: column email")]
    assert len(refusals) == 1 and fact in refusals[0]
