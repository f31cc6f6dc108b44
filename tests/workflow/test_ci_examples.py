"""The GitHub workflows in examples/github: they parse, every `reconcile` command they run is one
our CLI accepts, and the commands do what the workflows rely on when run in order against a
real database (plan → comment; plan -out → apply of the saved plan → plan shows no drift)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from workflow_helpers import NOTES, NOTES_DESIRED, invoke, schema_dir

from conftest import run_sql
from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit

EXAMPLES = Path(__file__).parents[2] / "examples" / "github"
SHELL_OPERATORS = {">", ">>", "2>", "|", "&&", "||", ";"}


def _workflow(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((EXAMPLES / name).read_text())
    return document


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean true.
    triggers: dict[str, Any] = workflow.get("on", workflow.get(True))
    return triggers


def _reconcile_commands(workflow: dict[Any, Any]) -> list[list[str]]:
    """Every `reconcile …` command of every `run:` step, in order, as argv after `reconcile`,
    with GitHub expressions replaced by a sample value and shell redirections cut off."""
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            script = step.get("run", "")
            script = re.sub(r"\$\{\{[^}]*\}\}", "1", script).replace("\\\n", " ")
            for line in script.splitlines():
                if not line.strip().startswith("reconcile "):
                    continue
                words = shlex.split(line)
                cut = next((i for i, w in enumerate(words) if w in SHELL_OPERATORS), len(words))
                commands.append(words[1:cut])
    return commands


def _parses(argv: list[str]) -> None:
    """Parse ``argv`` as our CLI would, without running it: unknown commands, options or bad
    values raise click errors."""
    group_ctx = cli.make_context("reconcile", list(argv))
    rest = [*group_ctx._protected_args, *group_ctx.args]
    command = cli.get_command(group_ctx, rest[0])
    assert command is not None, f"reconcile has no command {rest[0]!r}"
    command.make_context(rest[0], rest[1:], parent=group_ctx)


@pytest.mark.parametrize("name", ["plan-on-pr.yml", "apply-on-deploy.yml", "fleet-apply.yml"])
def test_workflow_commands_exist_in_the_cli(name: str) -> None:
    commands = _reconcile_commands(_workflow(name))
    assert commands, "the workflow runs no reconcile command"
    for argv in commands:
        _parses(argv)


@pytest.mark.parametrize("argv", [["plan", "--nope"], ["deploy"], ["apply", "--lock-timeout", "soon"]])
def test_the_parse_check_catches_what_the_cli_would_reject(argv: list[str]) -> None:
    with pytest.raises((click.UsageError, AssertionError)):
        _parses(argv)


def test_plan_on_pr_posts_markdown_as_an_updated_comment() -> None:
    workflow = _workflow("plan-on-pr.yml")
    assert "pull_request" in _triggers(workflow)
    assert workflow["permissions"]["pull-requests"] == "write"
    [command] = _reconcile_commands(workflow)
    assert command[:2] == ["plan", "--markdown"]
    scripts = [s["with"]["script"] for s in workflow["jobs"]["plan"]["steps"] if "github-script" in s.get("uses", "")]
    assert len(scripts) == 1
    assert "updateComment" in scripts[0] and "createComment" in scripts[0]


def test_apply_on_deploy_applies_the_plan_it_saved() -> None:
    workflow = _workflow("apply-on-deploy.yml")
    plan, apply_, check = _reconcile_commands(workflow)
    saved = plan[plan.index("-out") + 1]
    assert apply_[:2] == ["apply", saved]
    assert "--auto-approve" not in apply_  # a saved plan never asks
    assert check[:2] == ["plan", "--detailed-exitcode"]
    assert workflow["jobs"]["apply"]["needs"] == "plan"


def test_the_workflow_commands_work_in_order(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run_sql(db_url, NOTES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    schema_dir(tmp_path, NOTES_DESIRED)

    [pr_plan] = _reconcile_commands(_workflow("plan-on-pr.yml"))
    result = invoke(*pr_plan)
    assert result.exit_code == Exit.CHANGES, result.output
    assert result.stdout.startswith("### pgreconcile plan")
    assert (tmp_path / "plans" / "pr-1.plan.json").is_file()

    plan, apply_, check = _reconcile_commands(_workflow("apply-on-deploy.yml"))
    assert invoke(*plan).exit_code == Exit.CHANGES
    result = invoke(*apply_)
    assert result.exit_code == 0, result.output
    assert "Apply complete!" in result.output
    assert invoke(*check).exit_code == Exit.OK
