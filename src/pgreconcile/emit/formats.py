"""The formats ``reconcile inspect`` writes a live schema in, and the emitter of each."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from pgreconcile.emit.to_python import emit_python
from pgreconcile.emit.to_sql import emit_sql
from pgreconcile.emit.to_yaml import emit_yaml
from pgreconcile.model.schema import Schema


class InspectFormat(StrEnum):
    """A language ``reconcile inspect`` can write: declarations (YAML, Python) or SQL."""

    YAML = "yaml"
    PYTHON = "python"
    SQL = "sql"


_EMITTERS: dict[InspectFormat, Callable[[Schema], str]] = {
    InspectFormat.YAML: emit_yaml,
    InspectFormat.PYTHON: emit_python,
    InspectFormat.SQL: emit_sql,
}


def emit(schema: Schema, language: InspectFormat) -> str:
    """``schema`` as one declaration file in ``language``."""
    return _EMITTERS[language](schema)
