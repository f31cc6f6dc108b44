"""Declaration files → validated :class:`DocumentSpec` objects, one per file.

This is the step shared by every later stage (building the model, conventions, renames): it
reads each file, parses the YAML with line numbers and validates it against the language,
collecting the problems of every file before reporting them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pgreconcile.declare.problems import Problems
from pgreconcile.declare.spec import DocumentSpec
from pgreconcile.declare.spec_errors import translate
from pgreconcile.declare.yaml_source import line_at, load_yaml
from pgreconcile.gc_pause import paused_gc

YAML_SUFFIXES = (".yaml", ".yml")
SQL_SUFFIXES = (".sql",)


@dataclass(frozen=True, slots=True)
class Document:
    """One declaration file: its path as given (used in every message), what it declares, and
    the YAML data it was read from (None for sources that are not YAML), for line numbers."""

    file: str
    spec: DocumentSpec
    source: Any = None

    def line(self, *path: str | int) -> int | None:
        """The line of the key or item at ``path`` (``"schemas", "public", "tables", "t"``), or of
        the deepest part of it that was written."""
        return line_at(self.source, path) if self.source is not None else None


def files_with(directory: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Every file under ``directory`` ending in one of ``suffixes``, recursively, in a stable
    order (by path, folder by folder: the order SQL files run in)."""
    found = [p for p in directory.rglob("*") if p.suffix in suffixes and p.is_file()]
    return sorted(found, key=lambda p: p.relative_to(directory).parts)


def yaml_files(directory: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file under ``directory``, recursively, in a stable order."""
    return files_with(directory, YAML_SUFFIXES)


def sql_files(directory: Path) -> list[Path]:
    """Every ``*.sql`` file under ``directory`` (an SQL desired state), in the order they run."""
    return files_with(directory, SQL_SUFFIXES)


def parse_text(text: str, file: str, problems: Problems) -> Document | None:
    """Parse and validate one file's text; problems are recorded, None is returned on failure."""
    with paused_gc():
        data, yaml_problems = load_yaml(text)
        for yaml_problem in yaml_problems:
            problems.add(yaml_problem.message, file, yaml_problem.line, yaml_problem.hint)
        if yaml_problems:
            return None
        try:
            spec = DocumentSpec.model_validate(data)
        except ValidationError as err:
            for spec_problem in translate(err, DocumentSpec, data):
                problems.add(spec_problem.message, file, spec_problem.line, spec_problem.hint)
            return None
    return Document(file, spec, data)


def parse_files(paths: Sequence[Path]) -> list[Document]:
    """Read, parse and validate every file; raise :class:`DeclarationErrors` listing all problems."""
    problems = Problems()
    documents: list[Document] = []
    for path in paths:
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
