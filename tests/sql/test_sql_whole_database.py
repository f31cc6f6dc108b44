"""SQL files that are the only declarations describe the whole database, as a dump does: a
schema only the live database has is dropped (behind --allow-destroy when it holds rows), and
``public`` is emptied, never dropped. ``managed_schemas`` narrows that; schemas that cannot be
dropped cleanly (an extension's, Alembic's) are left alone. Real server, through the CLI."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

LIVE = """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, body text);
CREATE SCHEMA legacy;
CREATE TABLE legacy.old_notes (id integer);
INSERT INTO legacy.old_notes VALUES (1), (2);
CREATE FUNCTION legacy.answer() RETURNS integer LANGUAGE sql AS 'SELECT 42';
CREATE SCHEMA empty_one;
CREATE TABLE public.stray (id integer);
CREATE SCHEMA migrations;
CREATE TABLE migrations.alembic_version (version_num varchar(32) PRIMARY KEY);
"""

FILES = """
CREATE SCHEMA app;
CREATE TABLE app.notes (id integer PRIMARY KEY, body text);
"""


def _dir(tmp_path: Path, config: str | None = None) -> Path:
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "app.sql").write_text(FILES, encoding="utf-8")
    if config is not None:
        (tmp_path / "reconcile.toml").write_text(config, encoding="utf-8")
    return schema_dir


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _schemas(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1"
        ).fetchall()
    return [name for (name,) in rows]


def test_schemas_only_the_database_has_are_dropped_behind_allow_destroy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    common = ("--schema-dir", str(_dir(tmp_path)), "--database-url", db_url, "--scratch", "local")
    code, plan = _run(tmp_path, "plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, plan
    assert "- schema legacy" in plan and "- schema empty_one" in plan
    assert "- table legacy.old_notes" in plan and "2 rows" in plan
    assert "- table public.stray" in plan
    assert "- schema public" not in plan  # every database has it: emptied, never dropped
    assert "migrations" not in plan.replace("Note:", "").split("Plan:")[0]  # Alembic's: left alone
    assert "describe the whole database" in plan and "empty_one, legacy" in plan

    code, refused = _run(tmp_path, "apply", *common, "--auto-approve")
    assert code == Exit.ERROR, refused
    assert "--allow-destroy" in refused
    assert _schemas(db_url) == ["app", "empty_one", "legacy", "migrations", "public"]

    code, output = _run(tmp_path, "apply", *common, "--auto-approve", "--allow-destroy")
    assert code == Exit.OK, output
    assert _schemas(db_url) == ["app", "migrations", "public"]
    code, again = _run(tmp_path, "plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, again
    assert "describe the whole database" not in again


def test_a_saved_plan_that_drops_a_schema_applies(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, "CREATE SCHEMA app; CREATE TABLE app.notes (id integer PRIMARY KEY, body text); "
                    "CREATE SCHEMA legacy;")
    common = ("--schema-dir", str(_dir(tmp_path)), "--database-url", db_url, "--scratch", "local")
    saved = tmp_path / "plan.json"
    code, output = _run(tmp_path, "plan", *common, "-out", str(saved))
    assert code == Exit.OK, output
    assert "- schema legacy" in output
    code, output = _run(tmp_path, "apply", str(saved), *common, "--auto-approve")
    assert code == Exit.OK, output
    assert _schemas(db_url) == ["app", "public"]


def test_managed_schemas_leaves_the_others_alone(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema_dir = _dir(tmp_path, 'managed_schemas = ["app"]\n')
    common = ("--schema-dir", str(schema_dir), "--database-url", db_url, "--scratch", "local")
    code, plan = _run(tmp_path, "--config", str(tmp_path / "reconcile.toml"), "plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, plan
    assert "legacy" not in plan and "describe the whole database" not in plan
