"""The repository's own CI integrations: the composite GitHub Action (action.yml) and the
pre-commit hooks (.pre-commit-hooks.yaml). Both parse, and their commands do what they promise
when run here: the Action's steps run as shell scripts, in order, against a real database (plan
→ saved plan uploaded → downloaded → applied → no drift); the hooks' entries pass on good
declarations and fail on a lint violation, without a database."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from workflow_helpers import NOTES, NOTES_DESIRED, invoke, schema_dir

from conftest import run_sql
from pgreconcile.cli.exitcodes import Exit

ROOT = Path(__file__).parents[2]
SRC = ROOT / "src"


def _load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text())


class Runner:
    """Runs a composite action's steps locally: `run:` steps in bash, artifacts in a directory,
    `${{ ... }}` expressions and simple `if:` conditions evaluated from inputs and outputs."""

    def __init__(self, action: dict[str, Any], inputs: dict[str, str], tmp: Path, event: str) -> None:
        self.action = action
        self.inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
        self.outputs: dict[str, dict[str, str]] = {}
        self.tmp = tmp
        self.event = event
        self.ran: list[str] = []
        self.comment_script: str | None = None

    def value(self, name: str) -> str:
        name = name.strip()
        if name.startswith("inputs."):
            return self.inputs[name.removeprefix("inputs.")]
        if name == "github.event_name":
            return self.event
        if name == "github.token":
            return "token"
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        raise AssertionError(f"the runner does not know {name!r}")

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.value(m.group(1)), text)

    def condition(self, text: str | None) -> bool:
        if text is None:
            return True
        for clause in text.split("&&"):
            match = re.fullmatch(r"\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*", clause)
            assert match, f"the runner cannot evaluate {clause!r}"
            equal = self.value(match.group(1)) == match.group(3)
            if equal != (match.group(2) == "=="):
                return False
        return True

    def run(self, bin_dir: Path, cwd: Path) -> None:
        for step in self.action["runs"]["steps"]:
            if not self.condition(step.get("if")):
                continue
            uses = step.get("uses", "")
            given = {k: self.expand(str(v)) for k, v in step.get("with", {}).items()}
            if uses.startswith("actions/setup-python") or step.get("id") == "install":
                continue  # the test's Python already has pgreconcile
            if uses.startswith("actions/github-script"):
                self.comment_script = given["script"]
            elif uses.startswith("actions/upload-artifact"):
                store = self.tmp / "artifacts" / given["name"]
                store.mkdir(parents=True, exist_ok=True)
                shutil.copy(cwd / given["path"], store)
            elif uses.startswith("actions/download-artifact"):
                for item in (self.tmp / "artifacts" / given["name"]).iterdir():
                    shutil.copy(item, cwd / given["path"])
            else:
                self._shell(step, bin_dir, cwd)
            self.ran.append(step.get("name", uses))

    def _shell(self, step: dict[str, Any], bin_dir: Path, cwd: Path) -> None:
        output = self.tmp / "github_output"
        output.write_text("")
        env = {**os.environ, "GITHUB_OUTPUT": str(output), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        env.update({k: self.expand(str(v)) for k, v in step.get("env", {}).items()})
        where = cwd / self.expand(step.get("working-directory", "."))
        # GitHub's bash: --noprofile --norc -eo pipefail.
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=where, env=env, capture_output=True, text=True, timeout=300, check=False,
        )
        if "id" in step:
            pairs = [line.split("=", 1) for line in output.read_text().splitlines() if "=" in line]
            self.outputs[step["id"]] = dict(pairs)
        assert result.returncode == 0, f"step {step.get('name')} failed:\n{result.stdout}\n{result.stderr}"


def _reconcile_shim(tmp: Path) -> Path:
    """A `reconcile` on PATH running this checkout's CLI."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "reconcile"
    python = shlex.quote(sys.executable)
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(SRC))} exec {python} -m pgreconcile "$@"\n')
    shim.chmod(0o755)
    return bin_dir


def test_the_action_parses_and_is_composite() -> None:
    action = _load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"command", "database-url", "package", "plan-file", "github-token"} <= set(action["inputs"])
    for step in action["runs"]["steps"]:
        assert "run" in step or "uses" in step
        if "run" in step:
            assert step["shell"] == "bash"  # a composite action's run step must name its shell
            assert "${{" not in step["run"], "inputs reach scripts through env, never pasted into the script"


def test_the_action_plans_comments_uploads_then_applies(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(db_url, NOTES)
    project = tmp_path / "project"
    project.mkdir()
    schema_dir(project, NOTES_DESIRED)
    bin_dir = _reconcile_shim(tmp_path)
    action = _load("action.yml")

    plan = Runner(action, {"command": "plan", "database-url": db_url}, tmp_path, "pull_request")
    plan.run(bin_dir, project)
    assert plan.outputs["plan"]["exitcode"] == "2"
    assert (project / "reconcile-plan.md").read_text().startswith("### pgreconcile plan")
    assert plan.comment_script is not None and "updateComment" in plan.comment_script
    assert "createComment" in plan.comment_script and "<!-- pgreconcile plan -->" in plan.comment_script
    assert (tmp_path / "artifacts" / "schema-plan" / "schema.plan.json").is_file()
    assert "Fail on a planning error" not in plan.ran

    (project / "schema.plan.json").unlink()  # the deploy job starts from a fresh checkout
    apply = Runner(action, {"command": "apply", "database-url": db_url}, tmp_path, "push")
    apply.run(bin_dir, project)
    assert apply.ran[-2:] == ["Download the saved plan", "Apply the saved plan"]
    monkeypatch.chdir(project)
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert invoke("plan", "--detailed-exitcode").exit_code == Exit.OK


def test_the_action_puts_the_url_where_the_configuration_reads_it(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_sql(db_url, NOTES)
    project = tmp_path / "project"
    project.mkdir()
    schema_dir(project, NOTES_DESIRED)
    (project / "reconcile.toml").write_text('database_url_env = "APP_DATABASE_URL"\n')
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    bin_dir = _reconcile_shim(tmp_path)
    inputs = {"command": "plan", "database-url": db_url, "database-url-env": "APP_DATABASE_URL"}
    plan = Runner(_load("action.yml"), inputs, tmp_path, "pull_request")
    plan.run(bin_dir, project)
    assert plan.outputs["plan"]["exitcode"] == "2", (project / "reconcile-plan.err").read_text()
    (project / "schema.plan.json").unlink()
    apply = Runner(_load("action.yml"), {**inputs, "command": "apply"}, tmp_path, "push")
    apply.run(bin_dir, project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("APP_DATABASE_URL", db_url)
    assert invoke("plan", "--detailed-exitcode").exit_code == Exit.OK
    # A name that is not a variable name never reaches `export`.
    bad = Runner(_load("action.yml"), {**inputs, "database-url-env": "X=1; echo"}, tmp_path, "pull_request")
    with pytest.raises(AssertionError, match="not a variable name"):
        bad.run(bin_dir, project)


def test_a_planning_error_fails_the_action_after_the_comment(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    schema_dir(project, NOTES_DESIRED)
    url = "postgresql://nobody@127.0.0.1:1/none"
    runner = Runner(_load("action.yml"), {"command": "plan", "database-url": url}, tmp_path, "pull_request")
    with pytest.raises(AssertionError, match="step Fail on a planning error failed"):
        runner.run(_reconcile_shim(tmp_path), project)
    assert runner.outputs["plan"]["exitcode"] == "1"
    assert runner.comment_script is not None  # the comment step ran first, showing the error
    assert "Error:" in (project / "reconcile-plan.err").read_text()


def test_pre_commit_hooks_run_validate_and_lint_without_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = {hook["id"]: hook for hook in _load(".pre-commit-hooks.yaml")}
    assert set(hooks) == {"reconcile-validate", "reconcile-lint"}
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    schema_dir(tmp_path, NOTES_DESIRED)
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert re.search(hook["files"], "schema/app.yaml") and re.search(hook["files"], "app/models.py")
        argv = shlex.split(hook["entry"])
        assert argv[0] == "reconcile"
        result = invoke(*argv[1:])
        assert result.exit_code == 0, result.output
    (tmp_path / "schema" / "rules.yaml").write_text("conventions: {timestamps: timestamptz}\n"
                                                    "schemas: {public: {tables: {t: {columns: {at: timestamp}}}}}\n")
    result = invoke(*shlex.split(hooks["reconcile-lint"]["entry"])[1:])
    assert result.exit_code == 1
    assert "[timestamps]" in result.output


def test_the_example_workflow_uses_the_action_with_its_inputs() -> None:
    workflow = _load("examples/github/with-the-action.yml")
    inputs = set(_load("action.yml")["inputs"])
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    used = [step for step in steps if "pgreconcile/" in step.get("uses", "")]
    assert [step["with"]["command"] for step in used] == ["plan", "plan", "apply"]
    for step in used:
        assert set(step["with"]) <= inputs
    # Nothing to apply when the deploy plan has no changes (no artifact was uploaded).
    assert used[2]["if"] == "steps.deploy-plan.outputs.exitcode == '2'" and used[1]["id"] == "deploy-plan"


HOOK_MODELS = '''
import enum

from sqlalchemy import Enum, Identity, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Role(enum.Enum):
    SYSADMIN = "sysadmin"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[Role] = mapped_column(Enum(Role, name="user_role"{fix}))
'''


def test_pre_commit_hooks_read_the_configured_sqlalchemy_models(tmp_path: Path) -> None:
    """The hooks as pre-commit runs them: their entry as a process of its own, in a repository
    whose reconcile.toml names SQLAlchemy models, with no database anywhere. Lint names the
    enum trap at the model's line and fails the commit; the fixed model passes."""
    pytest.importorskip("sqlalchemy", reason="the hooks install SQLAlchemy (additional_dependencies)")
    hooks = {hook["id"]: hook for hook in _load(".pre-commit-hooks.yaml")}
    assert all("SQLAlchemy>=2.0" in hook["additional_dependencies"] for hook in hooks.values())
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    models = tmp_path / "app" / "models.py"
    models.write_text(HOOK_MODELS.replace("{fix}", ""))
    (tmp_path / "reconcile.toml").write_text('sqlalchemy = "app.models:Base.metadata"\nschema_dir = "schema"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "RECONCILE_"))}
    env["PYTHONPATH"] = str(SRC)

    def hook(hook_id: str) -> subprocess.CompletedProcess[str]:
        argv = shlex.split(hooks[hook_id]["entry"])
        assert argv[0] == "reconcile"
        return subprocess.run([sys.executable, "-m", "pgreconcile", *argv[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    line = next(n for n, text in enumerate(models.read_text().splitlines(), start=1) if "role:" in text)
    validate = hook("reconcile-validate")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    lint = hook("reconcile-lint")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert f"app/models.py:{line}" in lint.stdout and "[enum_names]" in lint.stdout, lint.stdout
    assert "Traceback" not in lint.stdout + lint.stderr
    models.write_text(HOOK_MODELS.replace("{fix}", ", values_callable=lambda e: [m.value for m in e]"))
    fixed = hook("reconcile-lint")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
