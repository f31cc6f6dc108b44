"""Declared hints are carried out (renames) or refused with the choices (a type change with no
conversion the probe can prove), never silently ignored; a lossy conversion is gated like a drop."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE TABLE public.people (id integer PRIMARY KEY, full_name text, price numeric(10,2), seen timestamptz);
INSERT INTO public.people VALUES (1, 'Ada', 19.99, '2024-05-01 13:45+00');
"""


def _run(tmp_path: Path, db_url: str, columns: str, *extra: str) -> tuple[int, str]:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / "app.yaml").write_text(
        "version: 1\nschemas:\n  public:\n    tables:\n      people:\n        columns:\n"
        "          id: {type: integer, primary_key: true}\n" + columns
    )
    result = CliRunner().invoke(
        cli, [*extra, "--schema-dir", str(directory), "--database-url", db_url], catch_exceptions=False
    )
    return result.exit_code, result.output


def _row(url: str) -> tuple[object, ...]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT * FROM public.people").fetchone()
    assert row is not None
    return tuple(row)


def test_renamed_from_renames_the_column_and_keeps_its_data(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    columns = (
        "          name: {type: text, renamed_from: full_name}\n"
        "          price: numeric(10,2)\n          seen: timestamptz\n"
    )
    code, output = _run(tmp_path, db_url, columns, "plan")
    assert "» column full_name → name" in output
    assert "0 to destroy" in output
    code, output = _run(tmp_path, db_url, columns, "apply", "--auto-approve")
    assert code == 0, output
    assert _row(db_url)[1] == "Ada"
    code, output = _run(tmp_path, db_url, columns, "plan", "--detailed-exitcode")
    assert code == 0, output  # the hint is inert once applied


def test_a_bare_type_change_no_probe_can_prove_is_refused_with_the_choices(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    # timestamptz has no cast to integer at all: nothing a probe could measure.
    columns = "          full_name: text\n          price: numeric(10,2)\n          seen: integer\n"
    code, output = _run(tmp_path, db_url, columns, "plan")
    assert code == Exit.ERROR
    assert "column public.people.seen (timestamp with time zone → integer) has no conversion that cannot fail" in output
    assert "convert: {using:" in output and "convert: {on_invalid: null}" in output


def test_a_bare_lossy_type_change_counts_what_changes_and_needs_allow_destroy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    columns = "          full_name: text\n          price: integer\n          seen: timestamptz\n"
    code, output = _run(tmp_path, db_url, columns, "plan")
    assert code == 0, output
    assert "drops data: 1 of 1 values change (rounded to integer)" in output
    code, output = _run(tmp_path, db_url, columns, "apply", "--auto-approve")
    assert code == Exit.ERROR and "--allow-destroy" in output
    assert str(_row(db_url)[2]) == "19.99"


def test_a_declared_lossy_conversion_needs_allow_destroy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    columns = (
        "          full_name: text\n"
        "          price: {type: integer, convert: {using: \"round(price)::integer\"}}\n"
        "          seen: {type: date, convert: {using: \"(seen AT TIME ZONE 'UTC')::date\"}}\n"
    )
    code, output = _run(tmp_path, db_url, columns, "plan")
    assert "column price numeric(10,2) → integer" in output
    assert "drops data" in output
    assert "This plan destroys data: apply needs --allow-destroy." in output
    code, output = _run(tmp_path, db_url, columns, "apply", "--auto-approve")
    assert code == Exit.ERROR
    assert "--allow-destroy" in output
    assert str(_row(db_url)[2]) == "19.99"
    code, output = _run(tmp_path, db_url, columns, "apply", "--auto-approve", "--allow-destroy")
    assert code == 0, output
    assert _row(db_url)[2] == 20
