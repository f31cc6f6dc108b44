"""An extension's version, declared in YAML, Python or SQL: the live one is updated to it
(ALTER EXTENSION … UPDATE TO), a version no update path reaches is refused, and a declaration
without a version accepts whatever is installed. Through the CLI, on a real server: plan, apply,
read back, plan again."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.declare.directory import load_directory

TABLE_YAML = """
schemas:
  public:
    tables:
      articles:
        columns:
          id: {type: bigint, primary_key: true}
"""
TABLE_SQL = "create table public.articles (id bigint primary key);\n"
TABLE_PY = '''
from pgreconcile.declare import Table, column


class Article(Table, schema="public", name="articles"):
    id: int = column(type="bigint", primary_key=True)
'''


@pytest.fixture
def trgm_at_1_4(db_url: str) -> Iterator[str]:
    """The test database with pg_trgm 1.4 installed and an articles table."""
    with psycopg.connect(db_url) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_available_extension_versions WHERE name = 'pg_trgm' AND version = '1.4'"
        ).fetchone()
    if found is None:
        pytest.skip("the test server has no pg_trgm 1.4 (contrib not installed)")
    run_sql(db_url, "CREATE EXTENSION pg_trgm VERSION '1.4';" + TABLE_SQL)
    yield db_url


def _dir(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text).lstrip("\n"))
    return directory


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _installed(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
    assert row is not None
    return str(row[0])


def _converge(schema_dir: Path, url: str) -> str:
    common = ("--schema-dir", str(schema_dir), "--database-url", url)
    code, first = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, first
    code, output = _run("apply", *common, "--auto-approve")
    assert code == Exit.OK, output
    code, output = _run("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    return first


@pytest.mark.parametrize(
    "files",
    [
        {"app.yaml": "version: 1\nextensions:\n  pg_trgm: {version: '1.6'}\n" + TABLE_YAML},
        {"app.py": TABLE_PY + '\n__extensions__ = {"pg_trgm": {"version": "1.6"}}\n'},
        {"app.sql": "create extension pg_trgm version '1.6';\n" + TABLE_SQL},
    ],
    ids=["yaml", "python", "sql"],
)
def test_a_declared_version_is_updated_to(tmp_path: Path, trgm_at_1_4: str, files: dict[str, str]) -> None:
    first = _converge(_dir(tmp_path, files), trgm_at_1_4)
    assert "~ extension pg_trgm version 1.4 → 1.6" in first
    assert "ALTER EXTENSION pg_trgm UPDATE TO '1.6'" not in first  # the SQL is shown with --sql only
    assert _installed(trgm_at_1_4) == "1.6"


@pytest.mark.parametrize(
    "files",
    [
        {"app.yaml": "version: 1\nextensions:\n  pg_trgm: {}\n" + TABLE_YAML},
        {"app.sql": "create extension pg_trgm;\n" + TABLE_SQL},
    ],
    ids=["yaml", "sql"],
)
def test_without_a_version_any_installed_one_is_fine(tmp_path: Path, trgm_at_1_4: str, files: dict[str, str]) -> None:
    schema_dir = _dir(tmp_path, files)
    code, output = _run("plan", "--schema-dir", str(schema_dir), "--database-url", trgm_at_1_4, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert _installed(trgm_at_1_4) == "1.4"
    # The SQL files' scratch database got the server's default version: not declared.
    assert load_directory(schema_dir, target_url=trgm_at_1_4).schema.extensions["pg_trgm"].version is None


def test_a_version_no_update_path_reaches_is_refused(tmp_path: Path, trgm_at_1_4: str) -> None:
    schema_dir = _dir(tmp_path, {"app.yaml": "version: 1\nextensions:\n  pg_trgm: {version: '1.3'}\n" + TABLE_YAML})
    code, output = _run("plan", "--schema-dir", str(schema_dir), "--database-url", trgm_at_1_4)
    assert code == Exit.ERROR, output
    assert "extension pg_trgm is at version 1.4 and no update path leads to 1.3" in output
    assert _installed(trgm_at_1_4) == "1.4"


def test_two_files_declaring_different_versions_disagree(tmp_path: Path) -> None:
    schema_dir = _dir(tmp_path, {
        "a.yaml": "version: 1\nextensions:\n  pg_trgm: {version: '1.5'}\n",
        "b.yaml": "version: 1\nextensions:\n  pg_trgm: {version: '1.6'}\n",
    })
    code, output = _run("validate", "--schema-dir", str(schema_dir))
    assert code == Exit.ERROR, output
    assert "extension pg_trgm" in output
