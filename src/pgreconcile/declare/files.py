"""Which files of a schema directory declare what, told apart by name alone.

Kept apart from :mod:`.documents` (which imports the declaration language and pydantic): a
directory of SQL files needs neither before its files start running in the scratch database,
and a fifth of a second of imports is better spent while the server works (declare/directory.py).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class SourceKind(StrEnum):
    """The kinds of declaration file, told apart by suffix (case-sensitive)."""

    YAML = "yaml"
    PYTHON = "python"
    SQL = "sql"
    INTENT = "intent"  # *.intent.yaml: hints about objects declared elsewhere (declare/intent.py)


SUFFIXES: dict[str, SourceKind] = {
    ".yaml": SourceKind.YAML,
    ".yml": SourceKind.YAML,
    ".py": SourceKind.PYTHON,
    ".sql": SourceKind.SQL,
}
#: The kinds read into documents by :func:`pgreconcile.declare.documents.parse_files`.
DOCUMENT_KINDS = (SourceKind.YAML, SourceKind.PYTHON)
#: File names that are intent overlays rather than declarations.
INTENT_SUFFIXES = (".intent.yaml", ".intent.yml")


def is_intent_file(path: Path) -> bool:
    """Whether ``path`` is an intent overlay (``*.intent.yaml`` / ``*.intent.yml``)."""
    return path.name.endswith(INTENT_SUFFIXES)


def declaration_files(directory: Path) -> dict[SourceKind, list[Path]]:
    """Every declaration file under ``directory``, recursively, by kind (every kind is a key),
    each list in a stable order (by relative path). ``__pycache__`` is not a source; an
    ``*.intent.yaml`` file is an intent overlay, not a YAML declaration."""
    found: dict[SourceKind, list[Path]] = {kind: [] for kind in SourceKind}
    for path in directory.rglob("*"):
        kind = SourceKind.INTENT if path.name.endswith(INTENT_SUFFIXES) else SUFFIXES.get(path.suffix)
        if kind is not None and "__pycache__" not in path.parts and path.is_file():
            found[kind].append(path)
    for paths in found.values():
        paths.sort(key=lambda p: p.relative_to(directory).parts)
    return found


def document_files(found: dict[SourceKind, list[Path]], directory: Path) -> list[Path]:
    """The files :func:`pgreconcile.declare.documents.parse_files` reads (YAML and Python), in
    one order by relative path."""
    paths = [p for kind in DOCUMENT_KINDS for p in found.get(kind, [])]
    return sorted(paths, key=lambda p: p.relative_to(directory).parts)
