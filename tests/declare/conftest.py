"""Fixtures for declaration tests (pure Python: no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from declare_helpers import SchemaDir


@pytest.fixture
def schema_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SchemaDir:
    """A ``schema/`` directory under a fresh working directory."""
    monkeypatch.chdir(tmp_path)
    return SchemaDir()
