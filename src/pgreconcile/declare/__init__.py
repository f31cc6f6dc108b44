"""Declarations (YAML; SQL files through :mod:`.sql_source`) → the desired :class:`Schema`.

``load_schema(directory)`` is the entry point: every ``*.yaml`` / ``*.yml`` file under the
directory, merged. ``parse_files`` stops after validation and returns the parsed documents, which
hold every key the language accepts (including the ones the model does not carry yet); ``emit_yaml``
goes the other way for ``reconcile inspect``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pgreconcile.declare.build import build_schema
from pgreconcile.declare.documents import Document, parse_files, parse_text, sql_files, yaml_files
from pgreconcile.declare.emit_yaml import emit_yaml
from pgreconcile.declare.references import ExternalReference, check_external_references, unresolved_references
from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.gc_pause import paused_gc
from pgreconcile.model.objects import Schema

__all__ = [
    "Document",
    "ExternalReference",
    "build_schema",
    "check_external_references",
    "emit_yaml",
    "load_files",
    "load_schema",
    "parse_files",
    "parse_text",
    "sql_files",
    "unresolved_references",
    "yaml_files",
]


def load_files(paths: Sequence[Path], *, check_sql: bool = True, context: Schema | None = None) -> Schema:
    """The desired schema declared by ``paths`` (merged in the order given).

    ``check_sql=False`` skips parsing SQL expressions here; the planner then parses every
    expression it sends (:func:`pgreconcile.plan.build.check_expressions`). ``context`` is what
    SQL files declare, for types and foreign keys that refer to it (see :func:`build_schema`)."""
    with paused_gc():
        return build_schema(parse_files(paths), check_sql=check_sql, context=context)


def load_schema(directory: Path, *, check_sql: bool = True, context: Schema | None = None) -> Schema:
    """The desired schema declared by every YAML file under ``directory`` (recursive, sorted)."""
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
    return load_files(yaml_files(directory), check_sql=check_sql, context=context)
