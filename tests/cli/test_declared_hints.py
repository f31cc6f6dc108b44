"""Declared hints are carried out (renames) or refused with the choices (a type change with no
conversion the probe can prove), never silently ignored; a lossy conversion is gated like a drop."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.ddl.conversions import nulls_only_using

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


def test_a_bare_type_change_with_no_cast_is_refused_with_the_choices(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    # timestamptz has no cast to integer at all: only a column of NULLs converts without `convert:`.
    columns = "          full_name: text\n          price: numeric(10,2)\n          seen: integer\n"
    code, output = _run(tmp_path, db_url, columns, "plan")
    assert code == Exit.ERROR
    assert "column seen timestamp with time zone → integer: 1 of 1 values are not NULL, and nothing casts" in output
    assert "convert: {using:" in output and "convert: {on_invalid: null}" in output
    # Probes off: refused too, with the same choices.
    code, output = _run(tmp_path, db_url, columns, "plan", "--probe-timeout", "0")
    assert code == Exit.ERROR
    assert "finds no value but NULL" in output and "convert: {using:" in output


def test_a_column_of_nulls_converts_with_no_cast_and_a_value_written_since_fails_the_apply(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, LIVE + "UPDATE public.people SET seen = NULL;")
    columns = "          full_name: text\n          price: numeric(10,2)\n          seen: integer\n"
    code, output = _run(tmp_path, db_url, columns, "plan")
    assert code == 0, output
    assert "no values to convert" in output
    # The USING the plan runs: NULL stays NULL, and a value that appeared meanwhile raises
    # (under the ALTER's lock) instead of becoming NULL.
    using = nulls_only_using("seen", "integer")
    with psycopg.connect(db_url) as conn:
        conn.execute("INSERT INTO public.people VALUES (2, 'Bob', 1, now())")
        with pytest.raises(psycopg.errors.InvalidTextRepresentation, match="planned holding only NULLs"):
            conn.execute(f"ALTER TABLE public.people ALTER COLUMN seen TYPE integer USING {using}")
        conn.rollback()
    code, output = _run(tmp_path, db_url, columns, "apply", "--auto-approve")
    assert code == 0, output
    assert _row(db_url)[3] is None
    code, output = _run(tmp_path, db_url, columns, "plan", "--detailed-exitcode")
    assert code == 0, output


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
