"""The formats ``reconcile inspect`` writes a live schema in, and the emitter of each."""

from __future__ import annotations

from enum import StrEnum
from importlib import import_module

from pgreconcile.model.schema import Schema


class InspectFormat(StrEnum):
    """A language ``reconcile inspect`` can write: declarations (YAML, Python) or SQL."""

    YAML = "yaml"
    PYTHON = "python"
    SQL = "sql"


# Imported when used: the SQL writer brings the planner, the Python one the declaration API,
# neither of which writing YAML needs.
_EMITTERS: dict[InspectFormat, tuple[str, str]] = {
    InspectFormat.YAML: ("pgreconcile.emit.to_yaml", "emit_yaml"),
    InspectFormat.PYTHON: ("pgreconcile.emit.to_python", "emit_python"),
    InspectFormat.SQL: ("pgreconcile.emit.to_sql", "emit_sql"),
}


def load_emitter(language: InspectFormat) -> None:
    """Import the writer of ``language`` now (``inspect`` does it while the catalog is read)."""
    import_module(_EMITTERS[language][0])


def emit(schema: Schema, language: InspectFormat) -> str:
    """``schema`` as one declaration file in ``language``."""
    module, function = _EMITTERS[language]
    text: str = getattr(import_module(module), function)(schema)
    return text
