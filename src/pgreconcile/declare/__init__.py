"""Declarations (YAML today; Python and SQL sources later) → the desired :class:`Schema`.

``load_schema(directory)`` is the entry point: every ``*.yaml`` / ``*.yml`` file under the
directory, merged; ``load_declarations`` returns the documents it was built from as well.
``parse_files`` stops after validation and returns the parsed documents, which hold every key the
language accepts (including the ones the model does not carry yet); ``emit_yaml`` goes the other
way for ``reconcile inspect``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from pgreconcile.declare.build import build_schema
from pgreconcile.declare.documents import Document, parse_files, parse_text, yaml_files
from pgreconcile.declare.emit_yaml import emit_yaml
from pgreconcile.declare.references import ExternalReference, check_external_references, unresolved_references
from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.gc_pause import paused_gc
from pgreconcile.model.objects import Schema

__all__ = [
    "Declarations",
    "Document",
    "ExternalReference",
    "build_schema",
    "check_external_references",
    "emit_yaml",
    "load_declarations",
    "load_files",
    "load_schema",
    "parse_files",
    "parse_text",
    "unresolved_references",
    "yaml_files",
]


def load_files(paths: Sequence[Path], *, check_sql: bool = True) -> Schema:
    """The desired schema declared by ``paths`` (merged in the order given).

    ``check_sql=False`` skips parsing SQL expressions here; the planner then parses every
    expression it sends (:func:`pgreconcile.plan.build.check_expressions`)."""
    with paused_gc():
        return build_schema(parse_files(paths), check_sql=check_sql)


class Declarations(NamedTuple):
    """A schema directory read: its documents (what was written, with lines) and the model."""

    documents: list[Document]
    schema: Schema


def load_declarations(directory: Path, *, check_sql: bool = True) -> Declarations:
    """The documents under ``directory`` and the desired schema they declare. Checks that need
    what was written rather than the model (conventions) take both."""
    _require_directory(directory)
    with paused_gc():
        documents = parse_files(yaml_files(directory))
        return Declarations(documents, build_schema(documents, check_sql=check_sql))


def _require_directory(directory: Path) -> None:
    if not directory.is_dir():
        raise DeclarationErrors(
            [
                DeclarationError(
                    "the schema directory does not exist",
                    where=str(directory),
                    hint="create it, or pass the directory that holds your *.yaml declarations",
                )
            ]
        )


def load_schema(directory: Path, *, check_sql: bool = True) -> Schema:
    """The desired schema declared by every YAML file under ``directory`` (recursive, sorted)."""
    return load_declarations(directory, check_sql=check_sql).schema
