"""examples/sqlalchemy: the sample application is valid, lints clean, and applies to an empty
database in one plan that then shows no changes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pgreconcile.cli import cli

pytest.importorskip("sqlalchemy", reason="SQLAlchemy is optional: pip install 'pgreconcile[sqlalchemy]'")

EXAMPLE = Path(__file__).parents[2] / "examples" / "sqlalchemy"


@pytest.fixture
def in_example(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(EXAMPLE)
    yield
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        del sys.modules[name]


@pytest.mark.usefixtures("in_example")
def test_the_example_validates_and_lints_clean() -> None:
    for command in ("validate", "lint"):
        result = CliRunner().invoke(cli, [command])
        assert result.exit_code == 0, result.output
        assert "Warning" not in result.output


@pytest.mark.usefixtures("in_example")
def test_the_example_applies_and_converges(db_url: str) -> None:
    runner = CliRunner()
    applied = runner.invoke(cli, ["apply", "-d", db_url, "--auto-approve"])
    assert applied.exit_code == 0, applied.output
    again = runner.invoke(cli, ["plan", "-d", db_url, "--detailed-exitcode"])
    assert again.exit_code == 0, again.output
