"""A schema directory → the desired schema, from every kind of declaration file in it.

YAML files are declarations read in-process; SQL files are run in a scratch database and read
back (:mod:`.sql_source`); ``*.intent.yaml`` overlays then add hints (renames, conversions,
removed enum labels) to what either declared (:mod:`.intent`). SQL is loaded first, so that
YAML may use its types and point foreign keys at its tables; the two are then merged, and an
object declared by both is an error naming both files (:mod:`.merge_schemas`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pgreconcile.declare.files import SourceKind, declaration_files, document_files
from pgreconcile.errors import DeclarationError
from pgreconcile.gc_pause import paused_gc
from pgreconcile.model.schema import Schema

if TYPE_CHECKING:
    from pgreconcile.declare.documents import Document
    from pgreconcile.declare.sql.scratch import ScratchMode


@dataclass(frozen=True)
class Loaded:
    """The desired schema, the files it came from, the parsed YAML/Python documents (for checks
    that need what was written, such as conventions), and notes to show as warnings."""

    schema: Schema
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()


def with_sqlalchemy(documents: list[Document], target: str | None) -> list[Document]:
    """``documents`` plus the tables of the SQLAlchemy MetaData ``target`` (docs/sqlalchemy.md)."""
    if target is None:
        return documents
    # Imported only when configured: SQLAlchemy is an optional dependency.
    from pgreconcile.declare.build.conventions import read_conventions
    from pgreconcile.declare.spec.problems import Problems
    from pgreconcile.declare.sqlalchemy import merge_documents, sqlalchemy_documents

    problems = Problems()
    # `conventions: {enum_labels: values}` in a YAML/Python file changes the labels the models give.
    enum_labels = read_conventions(documents, Problems()).settings.enum_labels
    models = sqlalchemy_documents(target, problems, enum_labels=enum_labels)
    problems.raise_if_any()
    merged = merge_documents(documents, models, problems)
    problems.raise_if_any()
    return merged


def load_directory(
    directory: Path,
    *,
    check_sql: bool = True,
    target_url: str | None = None,
    scratch: ScratchMode | str = "local",
    sqlalchemy: str | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Loaded:
    """Everything declared under ``directory``. ``target_url`` and ``scratch`` say where SQL files
    run (see :func:`pgreconcile.declare.sql.source.load_sql`); without SQL files neither is used.
    ``sqlalchemy`` names a MetaData (``app.models:Base.metadata``) declaring tables too.
    ``scratch`` is a :class:`ScratchMode` or its value; the scratch machinery (and psycopg) is
    imported only when there are SQL files. ``meanwhile`` is the caller's work (imports it will
    need), done once: while the server runs the SQL files, else before anything is read."""
    found = declaration_files(directory) if directory.is_dir() or not sqlalchemy else {}
    written = document_files(found, directory)
    sql = found.get(SourceKind.SQL, [])
    intents = found.get(SourceKind.INTENT, [])
    if not written and not sql and not sqlalchemy:
        raise DeclarationError(f"no *.yaml, *.yml, *.py or *.sql files in {directory}", where=str(directory))
    if not sql:
        if meanwhile is not None:
            meanwhile()
        with paused_gc():
            documents = _documents(written, sqlalchemy)
            schema = _with_intents(_build_schema(documents, check_sql), intents)
        return Loaded(schema, tuple(written + intents), documents=documents)
    # Imported only when there are SQL files (the scratch machinery is not needed otherwise).
    from pgreconcile.declare.sql import scratch as scratch_module
    from pgreconcile.declare.sql.source import load_sql

    # SQL files alone need the declaration language only after they ran: its imports (a fifth
    # of a second) are made while the server runs them, with the caller's.
    with paused_gc():
        documents = _documents(written, sqlalchemy) if written or sqlalchemy else ()

    def while_files_run() -> None:
        _import_builders()
        if meanwhile is not None:
            meanwhile()

    from_sql = load_sql(
        sql, mode=scratch_module.ScratchMode(scratch), target_url=target_url, alone=not documents,
        meanwhile=while_files_run,
    )
    from pgreconcile.declare.build.merge import merge_schemas

    with paused_gc():
        declared = _build_schema(documents, check_sql, context=from_sql.schema)
    merged = _with_intents(merge_schemas(declared, from_sql.schema), intents)
    return Loaded(merged, tuple(written + sql + intents), from_sql.notes, documents)


def _import_builders() -> None:
    """Import what reading and building declarations needs (the language, pydantic)."""
    import pgreconcile.declare.build.assemble
    import pgreconcile.declare.build.merge
    import pgreconcile.declare.documents
    import pgreconcile.declare.intent  # noqa: F401


def _documents(written: list[Path], sqlalchemy: str | None) -> tuple[Document, ...]:
    from pgreconcile.declare.documents import parse_files

    return tuple(with_sqlalchemy(parse_files(written), sqlalchemy))


def _build_schema(documents: tuple[Document, ...], check_sql: bool, context: Schema | None = None) -> Schema:
    from pgreconcile.declare.build.assemble import build_schema

    return build_schema(documents, check_sql=check_sql, context=context)


def _with_intents(schema: Schema, intents: list[Path]) -> Schema:
    if not intents:  # the overlays' language is not imported for nothing
        return schema
    from pgreconcile.declare.intent import with_intents

    return with_intents(schema, intents)
