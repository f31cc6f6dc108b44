"""Importing the configured ``MetaData`` and turning it into validated documents."""

from __future__ import annotations

import importlib
import inspect
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgreconcile.declare.documents import Document, validate
from pgreconcile.declare.python.lines import index_file
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.sqlalchemy.tables import Lines, enum_data, labels_by_value, table_data
from pgreconcile.declare.yaml.source import YamlMap
from pgreconcile.errors import DeclarationError

HINT = 'write the target as "package.module:Base.metadata" (a module importable from the current directory)'


def import_metadata(target: str) -> Any:
    """The ``MetaData`` named by ``module:attr.path``; a :class:`DeclarationError` when it cannot
    be imported or is not a MetaData. The current directory is importable, as for ``python -m``."""
    try:
        import sqlalchemy
    except ImportError:
        raise DeclarationError(
            "SQLAlchemy is not installed",
            where=target,
            hint="pip install 'pgreconcile[sqlalchemy]'",
        ) from None
    module_name, colon, attrs = target.partition(":")
    if not colon or not module_name or not attrs:
        raise DeclarationError(f"{target!r} is not a MetaData target", where=target, hint=HINT)
    cwd = str(Path.cwd())
    added = cwd not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        value: Any = importlib.import_module(module_name)
    except Exception as err:  # an application module may raise anything while importing
        raise DeclarationError(
            f"cannot import {module_name}: {type(err).__name__}: {err}", where=target, hint=HINT
        ) from None
    finally:
        if added:
            sys.path.remove(cwd)
    for attr in attrs.split("."):
        if not hasattr(value, attr):
            raise DeclarationError(f"{module_name} has no attribute {attrs}", where=target, hint=HINT)
        value = getattr(value, attr)
    if not isinstance(value, sqlalchemy.MetaData):
        if isinstance(getattr(value, "metadata", None), sqlalchemy.MetaData):
            return value.metadata  # `app.models:Base` means its metadata
        raise DeclarationError(
            f"{target} is a {type(value).__name__}, not a sqlalchemy MetaData", where=target, hint=HINT
        )
    return value


@dataclass
class _File:
    """One document being written: the models of one Python file."""

    name: str
    data: YamlMap = field(default_factory=lambda: YamlMap(1))


def sqlalchemy_documents(
    target: str, problems: Problems, metadata: Any = None, *, enum_labels: str | None = None
) -> list[Document]:
    """The documents the MetaData ``target`` declares (one per file its models are written in;
    tables without a mapped class go in one named after ``target``). Problems are recorded.
    ``enum_labels``: the convention the other declaration files set (``values`` gives enums
    their Python values as labels; ``MetaData.info`` may say so too)."""
    if metadata is None:
        metadata = import_metadata(target)
    places = _mapped_places(metadata)
    files: dict[str, _File] = {}
    enums: dict[tuple[str, str], Any] = {}
    info = metadata.info.get("pgreconcile", {}) if isinstance(metadata.info, dict) else {}
    declared = info.get("conventions")
    by_value = labels_by_value(enum_labels, declared.get("enum_labels") if isinstance(declared, dict) else None)
    for table in metadata.sorted_tables:
        file, lines = places.get(table.key, (target, Lines()))
        into = files.setdefault(file, _File(file)).data
        schema = table.schema or "public"
        schema_map = _child(_child(into, "schemas", 1), schema, lines.line)
        tables = _child(schema_map, "tables", lines.line)
        tables[table.name] = table_data(table, lines, enums)
        tables.key_lines[table.name] = lines.line or 1
    for (schema, name), (sa_type, table_key, column_name) in enums.items():
        # An enum is written where the first column of its type is.
        file, lines = places.get(table_key, (target, Lines()))
        line = lines.columns.get(column_name, lines.line)
        into = files.setdefault(file, _File(file)).data
        enums_map = _child(_child(_child(into, "schemas", 1), schema, 1), "enums", 1)
        enums_map[name] = enum_data(sa_type, info.get("enums", {}).get(name, {}), by_value=by_value)
        enums_map.key_lines[name] = line or 1
    if info.get("conventions"):
        first = next(iter(files.values()), None) or files.setdefault(target, _File(target))
        first.data["conventions"] = info["conventions"]
    documents = []
    for written in files.values():
        document = validate(written.data, written.name, problems)
        if document is not None:
            documents.append(document)
    return documents


def _child(parent: YamlMap, key: str, line: int | None) -> YamlMap:
    if key not in parent:
        parent[key] = YamlMap(line or 1)
        parent.key_lines[key] = line or 1
    child: YamlMap = parent[key]
    return child


def _mapped_places(metadata: Any) -> dict[str, tuple[str, Lines]]:
    """For each table a mapped class declares: the file the class is in (relative to the current
    directory when it can be) and the lines of the class and its attributes, by column name."""
    from sqlalchemy.orm import mapperlib

    places: dict[str, tuple[str, Lines]] = {}
    # Every mapper registry alive (declarative bases, registry(), SQLModel, Flask-SQLAlchemy).
    for registry in list(mapperlib._mapper_registries):
        for mapper in registry.mappers:
            table: Any = mapper.local_table
            if getattr(table, "metadata", None) is not metadata or table.key in places:
                continue
            cls = mapper.class_
            try:
                path = Path(inspect.getsourcefile(cls) or "")
                text = path.read_text(encoding="utf-8")
            except (OSError, TypeError):  # no source file: the table is declared without lines
                continue
            try:
                shown = str(path.resolve().relative_to(Path.cwd().resolve()))
            except ValueError:
                shown = str(path)
            own = index_file(text).of(cls.__qualname__)
            by_column: dict[str, int] = {}
            for prop in mapper.column_attrs:
                line = own.names.get(prop.key)
                if line is not None:
                    for column in prop.columns:
                        by_column.setdefault(column.name, line)
            places[table.key] = (shown, Lines(own.line, by_column, cls.__name__))
    return places
