"""Declarations (YAML and Python files; SQL files through :mod:`.sql.source`) → the desired :class:`Schema`.

``load_schema(directory)`` is the entry point: every ``*.yaml`` / ``*.yml`` / ``*.py`` file under
the directory, merged. ``parse_files`` stops after validation and returns the parsed documents,
which hold every key the language accepts (including the ones the model does not carry yet).
The way back (a live schema → declaration files, ``reconcile inspect``) is :mod:`pgreconcile.emit`.

Layout: ``spec/`` is the language (pydantic models, JSON Schema, error wording), ``yaml/``,
``python/`` and ``sql/`` are the three sources, ``build/`` turns documents into the model;
``documents`` finds and parses a directory's files, ``directory`` adds the SQL files' schema.
May import ``model``, ``normalize``, ``catalog`` (SQL files only), ``localpg``, ``quoting``,
``errors``; never ``diff``, ``order``, ``plan``, ``apply``, ``render``, ``emit`` or ``cli``.

This package is also what Python declaration files import: ``from pgreconcile.declare import
Table, column, policy`` (docs/python.md).
``load_declarations`` returns the documents a schema was built from as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pgreconcile.declare.build.assemble import build_schema
from pgreconcile.declare.build.references import ExternalReference, check_external_references, unresolved_references
from pgreconcile.declare.documents import (
    Document,
    SourceKind,
    declaration_files,
    document_files,
    parse_files,
    parse_text,
    sql_files,
    yaml_files,
)
from pgreconcile.declare.intent import with_intents
from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.gc_pause import paused_gc
from pgreconcile.model.schema import Schema

# The Python declaration API (``from pgreconcile.declare import Table, column``) is imported on
# first use: a schema directory without Python files never pays for it.
_PYTHON_API = frozenset(
    {"Table", "check", "column", "enum_type", "foreign_key", "group", "index", "policy", "primary_key", "rls", "unique"}
    | {"exclusion"}  # [constraints-types]
)
_PYTHON_VIEWS = frozenset({"view", "materialized_view"})  # [views]
_PYTHON_TABLE_EXTRAS = frozenset({"rule", "statistics"})


# [routines]
_PYTHON_ROUTINES = frozenset({"aggregate", "event_trigger", "function", "procedure", "trigger"})


def __getattr__(name: str) -> Any:
    if name in _PYTHON_ROUTINES:
        from pgreconcile.declare.python import routines as python_routines

        return getattr(python_routines, name)
    if name in _PYTHON_API:
        from pgreconcile.declare.python import api as python_api

        return getattr(python_api, name)
    if name in _PYTHON_TABLE_EXTRAS:
        from pgreconcile.declare.python import table_extras as python_table_extras

        return getattr(python_table_extras, name)
    if name in _PYTHON_VIEWS:
        from pgreconcile.declare.python import views as python_views

        return getattr(python_views, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Declarations",
    "Document",
    "ExternalReference",
    "SourceKind",
    "Table",
    "aggregate",
    "build_schema",
    "check",
    "check_external_references",
    "column",
    "declaration_files",
    "document_files",
    "enum_type",
    "event_trigger",
    "exclusion",
    "foreign_key",
    "function",
    "group",
    "index",
    "load_declarations",
    "load_files",
    "load_schema",
    "materialized_view",
    "parse_files",
    "parse_text",
    "policy",
    "primary_key",
    "procedure",
    "rls",
    "rule",
    "sql_files",
    "statistics",
    "trigger",
    "unique",
    "unresolved_references",
    "view",
    "yaml_files",
]


def load_files(paths: Sequence[Path], *, check_sql: bool = True, context: Schema | None = None) -> Schema:
    """The desired schema declared by ``paths`` (merged in the order given).

    ``check_sql=False`` skips parsing SQL expressions here; the planner then parses every
    expression it sends (:func:`pgreconcile.plan.build.check_expressions`). ``context`` is what
    SQL files declare, for types and foreign keys that refer to it (see :func:`build_schema`)."""
    with paused_gc():
        return build_schema(parse_files(paths), check_sql=check_sql, context=context)


class Declarations(NamedTuple):
    """A schema directory read: its documents (what was written, with lines) and the model."""

    documents: list[Document]
    schema: Schema


def load_declarations(
    directory: Path, *, check_sql: bool = True, context: Schema | None = None, sqlalchemy: str | None = None
) -> Declarations:
    """The documents under ``directory`` and the desired schema they declare. Checks that need
    what was written rather than the model (conventions) take both. ``sqlalchemy`` names a
    MetaData whose tables are declared too (docs/sqlalchemy.md)."""
    if sqlalchemy is None or directory.is_dir():
        _require_directory(directory)
    from pgreconcile.declare.directory import with_sqlalchemy

    with paused_gc():
        found = declaration_files(directory) if directory.is_dir() else {}
        documents = with_sqlalchemy(parse_files(document_files(found, directory)), sqlalchemy)
        schema = build_schema(documents, check_sql=check_sql, context=context)
        return Declarations(documents, with_intents(schema, found.get(SourceKind.INTENT, [])))


def _require_directory(directory: Path) -> None:
    if not directory.is_dir():
        raise DeclarationErrors(
            [
                DeclarationError(
                    "the schema directory does not exist",
                    where=str(directory),
                    hint="create it, or pass the directory that holds your *.yaml / *.py declarations",
                )
            ]
        )


def load_schema(directory: Path, *, check_sql: bool = True, context: Schema | None = None) -> Schema:
    """The desired schema declared by every YAML and Python file under ``directory`` (recursive,
    sorted by relative path)."""
    return load_declarations(directory, check_sql=check_sql, context=context).schema
