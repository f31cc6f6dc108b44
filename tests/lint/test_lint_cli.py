"""``reconcile lint`` and the convention check in front of ``plan`` and ``apply``, through the CLI,
against a real PostgreSQL: a violation refuses the plan with the lint's own list and executes
nothing; a schema that keeps its conventions plans, applies and converges as usual."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

CASES = Path(__file__).parent / "cases"

LIVE = """
CREATE TABLE public.events (id bigint PRIMARY KEY, at timestamptz NOT NULL);
INSERT INTO public.events VALUES (1, now());
"""

# Two violations: a bigint key and a naive timestamp, the second in a new column.
VIOLATING = """
version: 1
conventions:
  primary_key: uuid
  timestamps: timestamptz
schemas:
  public:
    tables:
      events:
        columns:
          id: {type: bigint, primary_key: true}
          at: {type: timestamptz, nullable: false}
          seen_at: timestamp
"""


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _schema(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "app.yaml").write_text(text.lstrip("\n"))
    return directory


def _columns(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'public.events'::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("command", [("plan",), ("plan", "--json"), ("apply", "--auto-approve")])
def test_violations_refuse_plan_and_apply_with_the_lint_list(
    tmp_path: Path, db_url: str, command: tuple[str, ...]
) -> None:
    run_sql(db_url, LIVE)
    schema = _schema(tmp_path, VIOLATING)

    lint_code, lint_output = _invoke("lint", "--schema-dir", str(schema))
    assert lint_code == Exit.ERROR
    violations = lint_output.rstrip("\n").splitlines()
    assert violations[-1] == "2 convention violations (primary_key 1, timestamps 1)."

    code, output = _invoke(*command, "--schema-dir", str(schema), "--database-url", db_url)
    assert code == Exit.ERROR, output
    assert output.startswith("Error: the declarations break their conventions, so there is no plan:\n"), output
    assert "\n".join(violations) in output  # the same list, line for line
    assert "reconcile lint" in output
    assert "Traceback" not in output
    assert "Plan:" not in output and "ALTER TABLE" not in output
    assert _columns(db_url) == ["id", "at"]  # nothing was executed


def test_kept_conventions_plan_apply_and_converge(tmp_path: Path, db_url: str) -> None:
    schema = tmp_path / "schema"
    shutil.copytree(CASES / "clean" / "all-satisfied", schema, ignore=shutil.ignore_patterns("expected.txt"))
    common = ("--schema-dir", str(schema), "--database-url", db_url)

    assert _invoke("lint", "--schema-dir", str(schema)) == (Exit.OK, "No convention violations.\n")
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert "+ table public.posts" in output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes." in output


def test_lint_needs_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    schema = _schema(tmp_path, VIOLATING)
    code, output = _invoke("lint", "--schema-dir", str(schema))
    assert code == Exit.ERROR
    assert f"{schema}/app.yaml:10  column public.events.id  is the primary key with type bigint" in output


def test_validate_checks_the_language_not_the_conventions(tmp_path: Path) -> None:
    schema = _schema(tmp_path, VIOLATING)
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == Exit.OK, output


@pytest.mark.parametrize(
    ("subdirectory", "needle"),
    [("missing", "the schema directory does not exist"), ("", "no declaration files in")],
    ids=["missing-directory", "empty-directory"],
)
def test_lint_without_declarations_is_a_clean_error(tmp_path: Path, subdirectory: str, needle: str) -> None:
    code, output = _invoke("lint", "--schema-dir", str(tmp_path / subdirectory))
    assert code == Exit.ERROR
    assert output.startswith("Error: ") and needle in output, output
    assert "Traceback" not in output


def test_lint_is_listed_in_the_help() -> None:
    code, output = _invoke("--help")
    assert code == Exit.OK
    assert "lint" in output and "conventions" in output
