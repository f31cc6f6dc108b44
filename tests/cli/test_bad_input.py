"""Bad input: one clear message with file:line (or the object), exit code 1, no traceback,
and nothing executed against the database."""

from __future__ import annotations

import textwrap
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli

GOOD_TABLE = """
version: 1
schemas:
  public:
    tables:
      items:
        columns:
          id: {type: uuid, primary_key: true}
          name: {type: text, nullable: false}
"""


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    schema = tmp_path / "schema"
    schema.mkdir()
    for name, text in files.items():
        (schema / name).write_text(textwrap.dedent(text).lstrip("\n"))
    return schema


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def _assert_clean_error(code: int, output: str, *needles: str) -> None:
    assert code == 1, output
    assert "Traceback" not in output
    assert output.startswith("Error: "), output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output}"


def _table_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'"
        ).fetchone()
        assert row is not None
        return int(row[0])


BAD_DECLARATIONS = [
    pytest.param(
        {"app.yaml": "version: 1\nschemas:\n  public:\n    tables: [\n"},
        ["app.yaml:", "YAML"],
        id="malformed-yaml",
    ),
    pytest.param(
        {"app.yaml": GOOD_TABLE.replace("name: {type: text, nullable: false}", "name: {type: text, nulable: false}")},
        ["app.yaml:8", "nulable", "nullable"],
        id="unknown-key-suggests-closest",
    ),
    pytest.param(
        {"app.yaml": GOOD_TABLE.replace("type: text", "type: txet")},
        ["app.yaml:8", "txet", "text"],
        id="unknown-type",
    ),
    pytest.param(
        {
            "app.yaml": GOOD_TABLE
            + "          owner_id: {type: uuid, references: {table: owners, column: id}}\n"
        },
        ["app.yaml:9", "owners"],
        id="fk-to-a-table-that-exists-nowhere",
    ),
    pytest.param(
        {"a.yaml": GOOD_TABLE, "b.yaml": GOOD_TABLE},
        ["a.yaml", "b.yaml", "items"],
        id="same-table-declared-twice",
    ),
    pytest.param(
        {"app.yaml": GOOD_TABLE + "        checks:\n          items_name_ok: \"length(name) >\"\n"},
        ["app.yaml:10", "items_name_ok"],
        id="invalid-sql-in-check",
    ),
    pytest.param(
        {
            "app.yaml": GOOD_TABLE.replace(
                "type: uuid, primary_key: true", "type: uuid, primary_key: true, default_sql: 'gen_random_uuid('"
            )
        },
        ["app.yaml:7", "default_sql"],
        id="invalid-sql-in-default-sql",
    ),
    pytest.param(
        {
            "app.yaml": GOOD_TABLE
            + "        indexes:\n          items_name_idx: {columns: [name], where: \"name IS NOT\"}\n"
        },
        ["app.yaml:10", "items_name_idx"],
        id="invalid-sql-in-index-where",
    ),
]


@pytest.mark.parametrize(("files", "needles"), BAD_DECLARATIONS)
def test_validate_reports_bad_declarations(tmp_path: Path, files: dict[str, str], needles: list[str]) -> None:
    schema = _write(tmp_path, files)
    code, output = _run("validate", "--schema-dir", str(schema))
    _assert_clean_error(code, output, *needles)


@pytest.mark.parametrize(("files", "needles"), BAD_DECLARATIONS)
def test_apply_with_bad_declarations_executes_nothing(
    tmp_path: Path, db_url: str, files: dict[str, str], needles: list[str]
) -> None:
    schema = _write(tmp_path, files)
    code, output = _run("apply", "--auto-approve", "--schema-dir", str(schema), "--database-url", db_url)
    _assert_clean_error(code, output, *needles)
    assert _table_count(db_url) == 0


def test_fk_into_an_unmanaged_schema_that_does_not_exist_is_refused_before_apply(
    tmp_path: Path, db_url: str
) -> None:
    schema = _write(
        tmp_path,
        {"app.yaml": GOOD_TABLE + "          user_id: {type: uuid, references: {table: auth.users, column: id}}\n"},
    )
    code, output = _run("apply", "--auto-approve", "--schema-dir", str(schema), "--database-url", db_url)
    _assert_clean_error(code, output, "app.yaml:9", "auth.users")
    assert _table_count(db_url) == 0


def test_unreachable_database_never_shows_the_password(tmp_path: Path) -> None:
    schema = _write(tmp_path, {"app.yaml": GOOD_TABLE})
    url = "postgresql://app:s3cret-Pa55@127.0.0.1:1/app"
    code, output = _run("plan", "--schema-dir", str(schema), "--database-url", url)
    _assert_clean_error(code, output, "127.0.0.1")
    assert "s3cret-Pa55" not in output


def test_missing_database_url_says_what_to_do(tmp_path: Path) -> None:
    schema = _write(tmp_path, {"app.yaml": GOOD_TABLE})
    code, output = _run("plan", "--schema-dir", str(schema), env={"DATABASE_URL": ""})
    _assert_clean_error(code, output, "DATABASE_URL")


def test_missing_schema_directory_is_a_clear_error(tmp_path: Path) -> None:
    code, output = _run("validate", "--schema-dir", str(tmp_path / "nope"))
    _assert_clean_error(code, output, "does not exist")


def test_a_database_error_outside_apply_is_one_line_without_traceback() -> None:
    import click
    import psycopg

    from pgreconcile.cli.errors import user_errors

    @click.command()
    @user_errors
    def failing() -> None:
        raise psycopg.errors.QueryCanceled("canceling statement due to statement timeout")

    result = CliRunner().invoke(failing, [])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: the database reported: canceling statement due to statement timeout")


def test_inspect_writes_into_a_new_directory_and_says_why_it_cannot_write(tmp_path: Path, db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.inspected (id bigint PRIMARY KEY)")
    fresh = tmp_path / "new" / "dir" / "schema.yaml"
    code, output = _run("inspect", "--database-url", db_url, "--schema", "public", "-o", str(fresh))
    assert code == 0, output
    assert "inspected" in fresh.read_text()
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    code, output = _run("inspect", "--database-url", db_url, "--schema", "public", "-o", str(blocked / "x.yaml"))
    _assert_clean_error(code, output, "cannot write the declarations", str(blocked / "x.yaml"))
