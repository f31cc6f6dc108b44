"""Loading declaration files: a directory or a list of files → the desired :class:`Schema`
(and, for checks that need what was written, the documents it was built from)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from pgreconcile.declare.build.assemble import build_schema
from pgreconcile.declare.documents import Document, parse_files
from pgreconcile.declare.files import SourceKind, declaration_files, document_files
from pgreconcile.declare.intent import with_intents
from pgreconcile.errors import DeclarationError, DeclarationErrors
from pgreconcile.gc_pause import paused_gc
from pgreconcile.model.schema import Schema


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
