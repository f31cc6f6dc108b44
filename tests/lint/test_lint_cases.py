"""Golden ``reconcile lint`` outputs: tests/lint/cases/<group>/<case>/ holds the declaration files
(``*.yaml``) and ``expected.txt``, the exact output (stdout and stderr) of ``reconcile lint``.

Each case is copied to ``schema/`` under a fresh working directory, so the locations read as a
user sees them (``schema/desired.yaml:12``). A case whose output is "No convention violations."
must exit 0; every other case must exit 1. Regenerate after a deliberate change with
``RECONCILE_REGEN=1 pytest tests/lint`` (or ``--regen``) and review the diff; run a few with ``-k``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli
from pgreconcile.cli.exitcodes import Exit
from pgreconcile.conventions import NO_VIOLATIONS

CASES = Path(__file__).parent / "cases"
CASE_DIRS = sorted({p.parent for p in CASES.glob("*/*/*.yaml")})


def test_every_rule_has_a_case() -> None:
    from pgreconcile.conventions.rules import RULES

    groups = {p.parent.name for p in CASE_DIRS}
    assert set(RULES) <= groups, f"rules without golden cases: {set(RULES) - groups}"


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_lint_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, regen: bool) -> None:
    shutil.copytree(case, tmp_path / "schema", ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", "--schema-dir", "schema"], catch_exceptions=False)
    golden = case / "expected.txt"
    if regen or not golden.exists():
        golden.write_text(result.output)
    assert result.output == golden.read_text(), f"output differs from {golden} (RECONCILE_REGEN=1 to regenerate)"
    assert "Traceback" not in result.output
    clean = result.output.startswith(NO_VIOLATIONS)
    assert result.exit_code == (Exit.OK if clean else Exit.ERROR), result.output
