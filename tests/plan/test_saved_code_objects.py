"""A saved plan that touches views, functions, triggers and sequences is valid plan JSON and is
applied exactly (its fingerprints name those objects: plan.schema.json must accept their keys),
and it is refused once one of them changed since it was made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

CASES = Path(__file__).resolve().parent.parent / "cases"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _saved_plan(case: Path, tmp_path: Path, db_url: str) -> tuple[Path, Path]:
    """The golden ``case``'s live state built, its declarations in a schema directory, and the
    plan saved from them: (schema directory, saved plan)."""
    run_sql(db_url, (case / "live.sql").read_text())
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "desired.yaml").write_text((case / "desired.yaml").read_text())
    saved = tmp_path / "next.plan.json"
    code, output = _run("plan", "--schema-dir", str(schema), "--database-url", db_url, "-out", str(saved))
    assert code == Exit.OK, output
    return schema, saved


@pytest.mark.parametrize(
    "case", ["trigger/change", "function/replace-in-place", "view/replace-in-place", "sequence/options-change",
             "sequence/narrowed-range-restarts-unused"]
)
def test_a_saved_plan_touching_code_objects_applies(tmp_path: Path, db_url: str, case: str) -> None:
    directory = CASES / case
    schema, saved = _saved_plan(directory, tmp_path, db_url)
    keys = set(json.loads(saved.read_text())["fingerprints"])
    assert keys, "a plan with changes fingerprints what it touches"
    code, output = _run("apply", str(saved), "--database-url", db_url, "--auto-approve")
    assert code == Exit.OK, output
    assert "Apply complete!" in output
    code, output = _run("plan", "--schema-dir", str(schema), "--database-url", db_url, "--detailed-exitcode")
    assert code == Exit.OK, output


def test_a_saved_plan_is_refused_when_a_function_it_touches_changed(tmp_path: Path, db_url: str) -> None:
    directory = CASES / "trigger" / "change"
    _, saved = _saved_plan(directory, tmp_path, db_url)
    assert any(key.startswith("trigger:") for key in json.loads(saved.read_text())["fingerprints"])
    run_sql(db_url, "ALTER TABLE public.items ENABLE TRIGGER items_touch_insert")
    code, output = _run("apply", str(saved), "--database-url", db_url, "--auto-approve")
    assert code == Exit.ERROR, output
    assert "trigger public.items.items_touch_insert changed" in output, output


def test_a_saved_restart_is_refused_once_the_counter_drew_a_value(tmp_path: Path, db_url: str) -> None:
    """The plan restarts a narrowed sequence because nothing was drawn from it; a value drawn
    before the apply makes that restart unsafe, and the saved plan is refused, not run."""
    directory = CASES / "sequence" / "narrowed-range-restarts-unused"
    schema, saved = _saved_plan(directory, tmp_path, db_url)
    assert "START WITH 10 RESTART" in json.dumps(json.loads(saved.read_text())), "the plan restarts batch_no"
    run_sql(db_url, "SELECT nextval('public.batch_no')")
    code, output = _run("apply", str(saved), "--database-url", db_url, "--auto-approve")
    assert code == Exit.ERROR, output
    assert "nothing was applied" in output.lower(), output
    code, output = _run("plan", "--schema-dir", str(schema), "--database-url", db_url)
    assert "leaves out 1, the last value drawn" in output, output
