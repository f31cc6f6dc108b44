"""Intent overlays (``*.intent.yaml``) give SQL declarations what YAML says with ``renamed_from``
and ``convert:``: a renamed column keeps its data, a naive timestamp becomes timestamptz read in
the declared zone, and an overlay naming an undeclared object is an error at its file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE SCHEMA app;
CREATE TABLE app.people (id integer PRIMARY KEY, full_name text NOT NULL, seen_at timestamp);
INSERT INTO app.people SELECT i, 'person ' || i, timestamp '2024-05-01 10:00' + i * interval '1 hour'
FROM generate_series(1, 500) AS i;
"""
DESIRED_SQL = """
create schema app;
create table app.people (
  id integer primary key,
  name text not null,
  seen_at timestamptz
);
"""
INTENT = """
# What the SQL above cannot say: name was full_name; seen_at's naive values are UTC.
schemas:
  app:
    tables:
      people:
        columns:
          name: {renamed_from: full_name}
          seen_at: {convert: {time_zone: UTC}}
"""


def _schema(tmp_path: Path, intent: str = INTENT) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir(exist_ok=True)
    (directory / "app.sql").write_text(textwrap.dedent(DESIRED_SQL))
    (directory / "app.intent.yaml").write_text(textwrap.dedent(intent))
    return directory


def _run(directory: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--schema-dir", str(directory), "--database-url", db_url])
    return result.exit_code, result.output


def _rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, options="-c TimeZone=UTC") as conn:
        conn.execute("SET TimeZone = 'UTC'")
        columns = {r[0] for r in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'app.people'::regclass AND attnum > 0"
        )}
        name = "name" if "name" in columns else "full_name"
        query = f"SELECT id, {name}, to_char(seen_at, 'YYYY-MM-DD HH24:MI') FROM app.people ORDER BY id"
        return [tuple(r) for r in conn.execute(query)]


def test_sql_declarations_with_an_intent_overlay_rename_and_convert_without_data_loss(
    tmp_path: Path, db_url: str
) -> None:
    run_sql(db_url, LIVE)
    before = _rows(db_url)
    directory = _schema(tmp_path)
    code, output = _run(directory, db_url, "plan")
    assert code == 0, output
    assert "» column full_name → name" in output
    assert "seen_at timestamp without time zone → timestamp with time zone" in output
    assert "0 to destroy" in output and "drop" not in output.lower()
    code, output = _run(directory, db_url, "apply", "--auto-approve")
    assert code == 0, output
    assert _rows(db_url) == before  # same names, same instants (read in UTC)
    with psycopg.connect(db_url) as conn:
        kind = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'app.people'::regclass AND attname = 'seen_at'"
        ).fetchone()
    assert kind == ("timestamp with time zone",)
    code, output = _run(directory, db_url, "plan", "--detailed-exitcode")
    assert code == 0, output  # the hints are inert once applied


def test_without_the_overlay_the_rename_is_a_drop_and_an_add(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    directory = _schema(tmp_path)
    (directory / "app.intent.yaml").unlink()
    _code, output = _run(directory, db_url, "plan")
    assert "- column full_name" in output and "+ column name" in output


def test_an_overlay_naming_an_undeclared_column_is_an_error_at_its_line(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    directory = _schema(tmp_path, INTENT.replace("name: {renamed_from", "nmae: {renamed_from"))
    code, output = _run(directory, db_url, "plan")
    assert code == Exit.ERROR
    assert "app.intent.yaml:8" in output
    assert "the intent names column app.people.nmae, which is not declared" in output
    assert "Traceback" not in output


def test_an_overlay_key_that_is_not_a_hint_is_an_error_at_its_line(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    directory = _schema(tmp_path, INTENT.replace("{renamed_from: full_name}", "{type: text}"))
    code, output = _run(directory, db_url, "plan")
    assert code == Exit.ERROR
    assert "app.intent.yaml:8" in output and "type" in output
