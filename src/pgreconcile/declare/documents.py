"""Declaration files → validated :class:`DocumentSpec` objects, one per file.

This is the step shared by every later stage (building the model, conventions, renames): for
the declaration files of a directory (found by kind in :mod:`.files`), it reads each one
into plain data with line numbers — YAML by parsing it, Python by importing it
(:mod:`.python_source`) — and validates that data against the one language definition,
collecting the problems of every file before reporting them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pgreconcile.declare.files import SUFFIXES, SourceKind, declaration_files
from pgreconcile.declare.spec.errors import translate
from pgreconcile.declare.spec.language import DocumentSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import line_at, load_yaml
from pgreconcile.gc_pause import paused_gc


@dataclass(frozen=True, slots=True)
class Document:
    """One declaration file: its path as given (used in every message), what it declares, and
    the data it was validated from, which knows the line of every key (read from a YAML file,
    or written by :mod:`.python_tables` from a Python file); None when a source has no lines."""

    file: str
    spec: DocumentSpec
    source: Any = None

    def line(self, *path: str | int) -> int | None:
        """The line of the key or item at ``path`` (``"schemas", "public", "tables", "t"``), or of
        the deepest part of it that was written."""
        return line_at(self.source, path) if self.source is not None else None




def yaml_files(directory: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file under ``directory``, recursively, in a stable order."""
    return declaration_files(directory)[SourceKind.YAML]


def sql_files(directory: Path) -> list[Path]:
    """Every ``*.sql`` file under ``directory`` (an SQL desired state), in the order they run."""
    return declaration_files(directory)[SourceKind.SQL]


def parse_text(text: str, file: str, problems: Problems) -> Document | None:
    """Parse and validate one YAML file's text; problems are recorded, None is returned on failure."""
    with paused_gc():
        data, yaml_problems = load_yaml(text)
        for yaml_problem in yaml_problems:
            problems.add(yaml_problem.message, file, yaml_problem.line, yaml_problem.hint)
        if yaml_problems:
            return None
        return validate(data, file, problems)


def validate(data: Any, file: str, problems: Problems) -> Document | None:
    """Validate one file's data (with its lines) against the language, whatever its source."""
    try:
        spec = DocumentSpec.model_validate(data)
    except ValidationError as err:
        for spec_problem in translate(err, DocumentSpec, data):
            problems.add(spec_problem.message, file, spec_problem.line, spec_problem.hint)
        return None
    return Document(file, spec, data)


def parse_files(paths: Sequence[Path]) -> list[Document]:
    """Read, parse and validate every file (YAML or Python, by suffix), in the order given;
    raise :class:`DeclarationErrors` listing all problems."""
    problems = Problems()
    python_paths = [p for p in paths if SUFFIXES.get(p.suffix) is SourceKind.PYTHON]
    python: dict[Path, Any] = {}
    if python_paths:
        # Imported only when there are Python files: the loader costs ~0.2 s of imports.
        from pgreconcile.declare.python.source import load_python

        python = load_python(python_paths, problems)
    documents: list[Document] = []
    for path in paths:
        document: Document | None = None
        if path in python:
            with paused_gc():
                document = validate(python[path], str(path), problems)
        elif SUFFIXES.get(path.suffix) is not SourceKind.PYTHON:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                problems.add(f"cannot read the file: {err}", str(path))
                continue
            document = parse_text(text, str(path), problems)
        if document is not None:
            documents.append(document)
    problems.raise_if_any()
    return documents
