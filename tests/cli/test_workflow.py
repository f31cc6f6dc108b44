"""The user's workflow through the CLI: inspect, validate, plan, apply, plan again."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.diff.changes import Action
from pgreconcile.render.colour import Palette, palette_for

SHOP = Path(__file__).parent.parent / "catalog" / "shop.sql"

LIVE = """
CREATE TABLE public.notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text NOT NULL);
INSERT INTO public.notes (body) VALUES ('a'), ('b');
"""
DESIRED = """
version: 1
schemas:
  public:
    tables:
      notes:
        comment: Free-form notes.
        columns:
          id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}
          body: {type: text, nullable: false}
          created_at: {type: timestamptz, nullable: false, default_sql: now()}
        indexes:
          notes_created_at_idx: {columns: [created_at DESC]}
"""


def _invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.output


def _schema_dir(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "app.yaml").write_text(text)
    return directory


def _columns(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum"
        ).fetchall()
    return [r[0] for r in rows]


def test_inspect_then_plan_shows_no_changes(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, SHOP.read_text())
    schema = tmp_path / "schema"
    schema.mkdir()
    code, output = _invoke("inspect", "--database-url", db_url, "-o", str(schema / "app.yaml"))
    assert code == 0, output
    assert "tables" in (schema / "app.yaml").read_text()
    code, output = _invoke("validate", "--schema-dir", str(schema))
    assert code == 0, output
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert "No changes. The database matches the declarations." in output
    assert code == Exit.OK


def test_plan_detailed_exitcode_apply_and_converge(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _schema_dir(tmp_path, DESIRED)
    common = ("--schema-dir", str(schema), "--database-url", db_url)

    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.CHANGES, output
    assert "Plan: 2 to add, 1 to change, 0 to destroy." in output
    assert "+ column created_at timestamp with time zone not null default now()" in output

    code, output = _invoke("plan", *common, "--sql")
    assert code == 0
    # The session settings apply uses come first (issue 18: "the exact statements" are exact).
    assert output.splitlines()[1:6] == [
        "-- The session apply runs in (it also takes pgreconcile's advisory lock):",
        "SET TimeZone = 'UTC';",
        "SET lock_timeout = 10000;",
        "SET statement_timeout = 600000;",
        "BEGIN;",
    ]
    assert "CREATE INDEX notes_created_at_idx ON public.notes (created_at DESC);" in output
    assert output.rstrip().endswith("COMMIT;")

    code, output = _invoke("apply", *common, stdin="no\n")
    assert code == Exit.ERROR
    assert "Only 'yes' will be accepted to approve." in output
    assert "Apply cancelled" in output
    assert _columns(db_url) == ["id", "body"]

    code, output = _invoke("apply", *common, stdin="yes\n")
    assert code == 0, output
    assert "Apply complete! 2 added, 1 changed, 0 destroyed." in output
    assert _columns(db_url) == ["id", "body", "created_at"]

    code, output = _invoke("plan", *common, "--detailed-exitcode")
    assert code == Exit.OK, output
    assert "No changes." in output


def test_apply_refuses_to_drop_a_column_without_allow_destroy(tmp_path: Path, db_url: str) -> None:
    run_sql(db_url, LIVE)
    schema = _schema_dir(tmp_path, DESIRED.replace("          body: {type: text, nullable: false}\n", ""))
    common = ("--schema-dir", str(schema), "--database-url", db_url)
    code, output = _invoke("plan", *common)
    assert "This plan destroys data: apply needs --allow-destroy." in output
    code, output = _invoke("apply", *common, "--auto-approve")
    assert code == Exit.ERROR
    assert "--allow-destroy" in output
    assert _columns(db_url) == ["id", "body"]
    code, output = _invoke("apply", *common, "--auto-approve", "--allow-destroy")
    assert code == 0, output
    assert _columns(db_url) == ["id", "created_at"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert palette_for(_Terminal()).enabled
    assert not palette_for(io.StringIO()).enabled
    assert not palette_for(_Terminal(), no_color=True).enabled
    monkeypatch.setenv("NO_COLOR", "1")
    assert not palette_for(_Terminal()).enabled
    assert Palette(True).action(Action.DESTROY, "- x") == "\x1b[31m- x\x1b[0m"


def test_plan_json_round_trips_and_validates(tmp_path: Path, db_url: str) -> None:
    import json

    import jsonschema

    from pgreconcile.plan.serialize import plan_from_json, plan_schema

    run_sql(db_url, LIVE)
    schema = _schema_dir(tmp_path, DESIRED)
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--json")
    assert code == 0, output
    document = json.loads(output)
    jsonschema.validate(document, plan_schema())
    assert document["summary"] == {"add": 2, "change": 1, "destroy": 0}
    assert plan_from_json(output).summary.add == 2
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--json", "--sql")
    assert code == 2
    assert "choose one" in output


def test_plan_markdown_matches_its_golden_file(tmp_path: Path, db_url: str, regen: bool) -> None:
    run_sql(db_url, LIVE)
    schema = _schema_dir(tmp_path, DESIRED)
    code, output = _invoke("plan", "--schema-dir", str(schema), "--database-url", db_url, "--markdown")
    assert code == 0, output
    # The source and target vary per run; the rest is the contract.
    text = output.replace(str(schema), "schema").replace(db_url, "postgresql://HOST/DB")
    golden = Path(__file__).parent / "plan.md"
    if regen or not golden.exists():
        golden.write_text(text)
    assert text == golden.read_text()
    assert "| 1 | `+` | public.notes | column created_at" in text
    assert "<details><summary>SQL</summary>" in text
