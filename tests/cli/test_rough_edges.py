"""The rough edges a new user hit (issue 18, LOW), each as it was reported."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = "CREATE TABLE public.notes (id integer PRIMARY KEY, body text);"
KEEP = (
    "version: 1\nschemas:\n  public:\n    tables:\n      notes:\n        columns:\n"
    "          id: {type: integer, primary_key: true}\n"
)
WITH_BODY = KEEP + "          body: text\n          extra: text\n"


def _invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def _schema(tmp_path: Path, text: str, name: str = "schema") -> Path:
    directory = tmp_path / name
    directory.mkdir(exist_ok=True)
    (directory / "app.yaml").write_text(text)
    return directory


def test_apply_without_a_terminal_names_auto_approve(tmp_path: Path, db_url: str) -> None:
    """`apply </dev/null` printed `Enter a value: Aborted!`."""
    run_sql(db_url, LIVE)
    schema = _schema(tmp_path, WITH_BODY)
    result = _invoke("apply", "-s", str(schema), "-d", db_url, stdin="")
    assert result.exit_code == Exit.ERROR
    assert "Aborted!" not in result.output
    assert "its input is not a terminal" in result.output and "--auto-approve" in result.output
    assert "nothing was changed" in result.output


def test_allow_destroy_given_is_not_asked_for_again(tmp_path: Path, db_url: str) -> None:
    """`This plan destroys data: apply needs --allow-destroy.` was printed with --allow-destroy."""
    run_sql(db_url, LIVE)
    schema = _schema(tmp_path, KEEP)
    result = _invoke("apply", "-s", str(schema), "-d", db_url, "--allow-destroy", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "apply needs --allow-destroy" not in result.output
    assert "This plan destroys data, as --allow-destroy permits." in result.output


def test_probe_timeout_takes_a_duration_like_the_other_timeouts(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _schema(tmp_path, WITH_BODY)
    for value in ("5s", "500ms", "2000"):
        result = _invoke("plan", "-s", str(schema), "-d", db_url, "--probe-timeout", value)
        assert result.exit_code == 0, result.output
    assert _invoke("plan", "-s", str(schema), "-d", db_url, "--probe-timeout", "soon").exit_code == 2


def test_plan_sql_shows_the_session_settings_apply_uses(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _schema(tmp_path, WITH_BODY)
    timeouts = ("--lock-timeout", "3s", "--statement-timeout", "1min")
    result = _invoke("plan", "-s", str(schema), "-d", db_url, "--sql", *timeouts)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines.index("SET TimeZone = 'UTC';") < lines.index("BEGIN;")
    assert "SET lock_timeout = 3000;" in lines and "SET statement_timeout = 60000;" in lines


def test_lint_reads_schema_dir_from_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`reconcile lint` ignored schema_dir from reconcile.toml; its help said YAML only."""
    _schema(tmp_path, KEEP, name="declarations")
    (tmp_path / "reconcile.toml").write_text('schema_dir = "declarations"\n')
    monkeypatch.chdir(tmp_path)
    result = _invoke("lint")
    assert result.exit_code == 0, result.output
    assert "*.py" in _invoke("lint", "--help").output


def test_validate_counts_in_the_singular_and_plural(tmp_path: Path) -> None:
    """`1 enums`, `1 schemas`."""
    enums = "version: 1\nschemas:\n  public:\n    enums:\n      mood: [a, b]\n"
    schema = _schema(tmp_path, enums + KEEP.split("public:\n", 1)[1])
    result = _invoke("validate", "-s", str(schema))
    assert result.exit_code == 0, result.output
    assert "1 table, 1 enum, 0 extensions in 1 schema." in result.output


def test_a_refusal_names_the_kind_of_an_unmanaged_reader_in_plain_words(tmp_path: Path, db_url: str) -> None:
    """A refusal said "does not manage materializeds". Materialized views in managed schemas are
    managed now; one in a schema the declarations do not manage still refuses the change."""
    run_sql(
        db_url, LIVE + "CREATE SCHEMA other; CREATE MATERIALIZED VIEW other.bodies AS SELECT body FROM public.notes;"
    )
    schema = _schema(tmp_path, KEEP)
    result = _invoke("plan", "-s", str(schema), "-d", db_url)
    assert result.exit_code == Exit.ERROR, result.output
    assert "materialized view other.bodies" in result.output
    assert "materializeds" not in result.output


@pytest.mark.parametrize(
    ("written", "meant"), [("strnig", "text"), ("string", "text"), ("datetime", "timestamptz"), ("long", "bigint")]
)
def test_a_type_from_another_language_suggests_the_postgresql_one(tmp_path: Path, written: str, meant: str) -> None:
    """`strnig` suggested tstzrange; it should suggest `string` → `text`."""
    schema = _schema(tmp_path, KEEP + f"          body: {written}\n")
    result = _invoke("validate", "-s", str(schema))
    assert result.exit_code == Exit.ERROR
    assert f"which PostgreSQL calls {meant!r}; did you mean {meant!r}?" in result.output
    assert "tstzrange" not in result.output


def test_per_schema_inspect_files_load_together(tmp_path: Path, db_url: str) -> None:
    """Each `reconcile inspect --schema X > X.yaml` repeats the database's extensions."""
    run_sql(
        db_url,
        "CREATE EXTENSION pgcrypto; CREATE SCHEMA a; CREATE SCHEMA b;"
        "CREATE TABLE a.t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());"
        "CREATE TABLE b.u (id uuid PRIMARY KEY DEFAULT gen_random_uuid());",
    )
    schema = tmp_path / "schema"
    schema.mkdir()
    for name in ("a", "b"):
        result = _invoke("inspect", "-d", db_url, "--schema", name, "-o", str(schema / f"{name}.yaml"))
        assert result.exit_code == 0, result.output
        assert "Wrote 1 table from 1 schema to" in result.output  # not "1 tables from 1 schemas"
        assert "pgcrypto" in (schema / f"{name}.yaml").read_text()
    result = _invoke("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert result.exit_code == Exit.OK, result.output


KEYWORDS = ["comment", "user", "order", "select", "value", "type", "name", "key", "position", "default", "end"]


@pytest.mark.parametrize("fmt", ["yaml", "python", "sql"])
def test_inspect_output_with_keyword_column_names_loads_back_and_creates(tmp_path: Path, db_url: str, fmt: str) -> None:
    """`inspect` wrote an index on a column named `comment` that `plan` rejected (`element is not a
    valid SQL expression: 'comment'`). Reserved and non-reserved keywords as column names, indexed
    plainly and through an expression: the inspected files load, plan and apply into an empty
    database, and plan again to no changes."""
    ddl = "".join(
        f'CREATE TABLE public.t{i} (id integer PRIMARY KEY, "{word}" text);'
        f'CREATE INDEX t{i}_plain ON public.t{i} ("{word}");'
        f'CREATE INDEX t{i}_lower ON public.t{i} (lower("{word}"));'
        for i, word in enumerate(KEYWORDS)
    )
    run_sql(db_url, ddl)
    schema = tmp_path / "schema"
    schema.mkdir()
    suffix = {"yaml": "yaml", "python": "py", "sql": "sql"}[fmt]
    result = _invoke("inspect", "-d", db_url, "--format", fmt, "-o", str(schema / f"app.{suffix}"))
    assert result.exit_code == 0, result.output
    empty = db_url.rsplit("/", 1)[0] + "/" + _new_database(db_url)
    result = _invoke("apply", "-s", str(schema), "-d", empty, "--auto-approve")
    assert result.exit_code == 0, result.output
    result = _invoke("plan", "-s", str(schema), "-d", empty, "--detailed-exitcode")
    assert result.exit_code == Exit.OK, result.output


def _new_database(db_url: str) -> str:
    name = "pgr_empty_" + uuid.uuid4().hex[:10]
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


BAD_EXPRESSIONS = KEEP + (
    '          a: {type: integer, check: "b > 0"}\n'
    '          c: {type: integer, default_sql: "(select 1)"}\n'
    "        checks:\n"
    '          sub: "a in (select 1)"\n'
    '          fine: "a > 0 and c < 4"\n'
)


def test_what_postgresql_refuses_in_defaults_and_checks_is_refused_by_validate(tmp_path: Path) -> None:
    """A CHECK naming a missing column and subqueries in DEFAULT/CHECK only failed at apply."""
    result = _invoke("validate", "-s", str(_schema(tmp_path, BAD_EXPRESSIONS)))
    assert result.exit_code == Exit.ERROR
    assert "column a: check reads b, which is not a column of this table" in result.output
    assert "column c: default_sql: PostgreSQL does not allow a subquery in a DEFAULT" in result.output
    assert "check sub: PostgreSQL does not allow a subquery in a CHECK" in result.output
    assert "check fine" not in result.output


def test_what_postgresql_refuses_in_defaults_and_checks_is_refused_by_plan(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    result = _invoke("plan", "-s", str(_schema(tmp_path, BAD_EXPRESSIONS)), "-d", db_url)
    assert result.exit_code == Exit.ERROR
    assert "reads b, which the table does not have" in result.output
    assert "PostgreSQL does not allow a subquery in a DEFAULT" in result.output
    assert "PostgreSQL does not allow a subquery in a CHECK" in result.output


@pytest.mark.parametrize("schema", ["pg_catalog", "information_schema"])
def test_postgresql_own_schemas_cannot_be_declared(tmp_path: Path, schema: str) -> None:
    text = f"version: 1\nschemas:\n  {schema}:\n    tables:\n      t:\n        columns:\n          id: integer\n"
    result = _invoke("validate", "-s", str(_schema(tmp_path, text)))
    assert result.exit_code == Exit.ERROR
    assert f"schema {schema} belongs to PostgreSQL itself and cannot be declared" in result.output


@pytest.mark.parametrize("fmt", ["yaml", "python", "sql"])
def test_inspect_output_of_an_enum_with_quotes_in_its_name_loads_back(tmp_path: Path, db_url: str, fmt: str) -> None:
    """`inspect` output for an enum named `mood"; x` did not load back."""
    run_sql(
        db_url,
        'CREATE TYPE public."mood""; x" AS ENUM (\'a\', \'b\'\'c\');'
        'CREATE TABLE public.t (id integer PRIMARY KEY, m public."mood""; x" DEFAULT \'a\')',
    )
    schema = tmp_path / "schema"
    schema.mkdir()
    suffix = {"yaml": "yaml", "python": "py", "sql": "sql"}[fmt]
    assert _invoke("inspect", "-d", db_url, "--format", fmt, "-o", str(schema / f"app.{suffix}")).exit_code == 0
    result = _invoke("plan", "-s", str(schema), "-d", db_url, "--detailed-exitcode")
    assert result.exit_code == Exit.OK, result.output
    empty = db_url.rsplit("/", 1)[0] + "/" + _new_database(db_url)
    result = _invoke("apply", "-s", str(schema), "-d", empty, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert _invoke("plan", "-s", str(schema), "-d", empty, "--detailed-exitcode").exit_code == Exit.OK


def test_moving_an_extension_that_is_not_relocatable_is_refused_with_the_reason(tmp_path: Path, db_url: str) -> None:
    """`ALTER EXTENSION xml2 SET SCHEMA …` was planned; PostgreSQL refuses it."""
    run_sql(db_url, "CREATE EXTENSION xml2")
    text = "version: 1\nextensions:\n  xml2: {schema: other}\nschemas:\n  other: {}\n"
    result = _invoke("plan", "-s", str(_schema(tmp_path, text)), "-d", db_url, "--sql")
    assert result.exit_code == Exit.ERROR
    assert "extension xml2 lives in schema public and is not relocatable" in result.output
    assert "SET SCHEMA" not in result.stdout
    # A relocatable one still moves.
    run_sql(db_url, "CREATE EXTENSION citext")
    text = "version: 1\nextensions:\n  citext: {schema: other}\n  xml2: {}\nschemas:\n  other: {}\n"
    result = _invoke("plan", "-s", str(_schema(tmp_path, text)), "-d", db_url, "--sql")
    assert result.exit_code == 0, result.output
    assert "ALTER EXTENSION citext SET SCHEMA other;" in result.stdout
