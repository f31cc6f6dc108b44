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

Every name here is imported on first use (``__getattr__``): importing one part of the package
(``declare.spec`` for ``reconcile inspect``, the YAML reader) does not load the rest — the
builder, the SQL expression parser, the intent overlays — which is a fifth of a second.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pgreconcile.declare.build.assemble import build_schema
    from pgreconcile.declare.build.references import (
        ExternalReference,
        check_external_references,
        unresolved_references,
    )
    from pgreconcile.declare.documents import Document, parse_files, parse_text, sql_files, yaml_files
    from pgreconcile.declare.files import SourceKind, declaration_files, document_files
    from pgreconcile.declare.loading import Declarations, load_declarations, load_files, load_schema
    from pgreconcile.declare.python.api import (
        Table,
        check,
        column,
        enum_type,
        exclusion,
        foreign_key,
        group,
        index,
        policy,
        primary_key,
        rls,
        unique,
    )
    from pgreconcile.declare.python.routines import aggregate, event_trigger, function, procedure, trigger
    from pgreconcile.declare.python.table_extras import rule, statistics
    from pgreconcile.declare.python.views import materialized_view, view

#: Public name → the module that defines it.
_HOMES: dict[str, str] = {
    **dict.fromkeys(("build_schema",), "pgreconcile.declare.build.assemble"),
    **dict.fromkeys(("ExternalReference", "check_external_references", "unresolved_references"),
                    "pgreconcile.declare.build.references"),
    **dict.fromkeys(("Document", "parse_files", "parse_text", "sql_files", "yaml_files"),
                    "pgreconcile.declare.documents"),
    **dict.fromkeys(("SourceKind", "declaration_files", "document_files"), "pgreconcile.declare.files"),
    **dict.fromkeys(("Declarations", "load_declarations", "load_files", "load_schema"), "pgreconcile.declare.loading"),
    # The Python declaration API: a schema directory without Python files never pays for it.
    **dict.fromkeys(("Table", "check", "column", "enum_type", "exclusion", "foreign_key", "group", "index", "policy",
                     "primary_key", "rls", "unique"), "pgreconcile.declare.python.api"),
    **dict.fromkeys(("aggregate", "event_trigger", "function", "procedure", "trigger"),
                    "pgreconcile.declare.python.routines"),
    **dict.fromkeys(("view", "materialized_view"), "pgreconcile.declare.python.views"),
    **dict.fromkeys(("rule", "statistics"), "pgreconcile.declare.python.table_extras"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value


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
