"""A schema directory for declaration tests, written in a temporary working directory.

Files are written under ``schema/`` relative to the test's own working directory, so that error
locations read exactly as a user would see them (``schema/app.yaml:12``). The fixture lives here
rather than in a ``conftest.py`` because a second non-package ``conftest`` module would shadow the
suite's root one (``from conftest import run_sql``); test modules load it with ``pytest_plugins``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pgreconcile.declare import load_schema
from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.model.objects import Table
from pgreconcile.model.schema import Schema


class SchemaDir:
    """A ``schema/`` directory to write declaration files into and load."""

    def __init__(self) -> None:
        self.path = Path("schema")

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def load(self) -> Schema:
        return load_schema(self.path)

    def errors(self) -> list[DeclarationError]:
        """The errors loading reports; fails the test when loading succeeds."""
        with pytest.raises(DeclarationErrors) as caught:
            load_schema(self.path)
        return caught.value.errors

    def table(self, text: str, name: str = "t", schema: str = "public") -> Table:
        """Load a file holding one table body (indented under ``schemas.<schema>.tables.<name>``)."""
        body = textwrap.indent(textwrap.dedent(text).strip("\n"), " " * 8)
        self.write("app.yaml", f"schemas:\n  {schema}:\n    tables:\n      {name}:\n{body}\n")
        table = self.load().table(schema, name)
        assert table is not None
        return table


@pytest.fixture
def schema_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SchemaDir:
    """A ``schema/`` directory under a fresh working directory."""
    monkeypatch.chdir(tmp_path)
    return SchemaDir()
