"""Origins (file:line) for objects read back from the scratch database.

Objects come back from the catalog without a trace of where they were written. Two sources
give it back: the statement heads of each file (:mod:`.heads`: ``CREATE TABLE`` on line 12,
column ``email`` on line 14), and, for what no head names (a table made inside a ``DO`` block),
the file after which the object first existed. A constraint or index without a named
mention takes the line of its only column when it has one (``id uuid PRIMARY KEY``), else the
line of its table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from pgreconcile.declare.sql.heads import Heads, Mention, MentionKind, read_mentions
from pgreconcile.declare.sql.script import Script
from pgreconcile.model.objects import Origin, Table
from pgreconcile.model.replace import replace
from pgreconcile.model.schema import Schema

# (kind, schema, name) of a top-level object → the file it first existed after.
FirstSeen = Mapping[tuple[str, str, str], str]


class OriginIndex:
    """Mentions by what they name, the first one winning (a later ``CREATE … IF NOT EXISTS``
    of the same object is not where it was declared). Built from the files alone, so it can be
    built while the server still runs them (and it is then that most statements are cut into
    all their tokens: :class:`~.script.Statement`)."""

    def __init__(self, files: Sequence[tuple[Script, Heads]]) -> None:
        self.exact: dict[tuple[Any, ...], Origin] = {}
        self.loose: dict[tuple[Any, ...], list[Origin]] = {}
        for script, _ in files:
            for mention in read_mentions(script):
                self._add(script.file, mention)

    def _add(self, file: str, mention: Mention) -> None:
        origin = Origin(file, mention.line)
        self.exact.setdefault((mention.kind, mention.schema, mention.table, mention.name), origin)
        if not mention.qualified:
            # Where an unqualified name landed depends on the search_path at that moment; when
            # the guess is wrong, a unique match by name alone still finds it.
            origins = self.loose.setdefault((mention.kind, mention.table, mention.name), [])
            if origin not in origins:
                origins.append(origin)

    def find(self, kind: MentionKind, schema: str | None, name: str, table: str | None = None) -> Origin | None:
        found = self.exact.get((kind, schema, table, name))
        if found is not None:
            return found
        loose = self.loose.get((kind, table, name), [])
        return loose[0] if len(loose) == 1 else None


def attach_origins(schema: Schema, index: OriginIndex, first_seen: FirstSeen) -> Schema:
    """``schema`` with an origin on every object that can have one, found in ``index`` (the
    mentions of the files that built it) or else in ``first_seen``."""

    def top(kind: MentionKind, schema_name: str | None, name: str, seen_as: tuple[str, str, str]) -> Origin | None:
        found = index.find(kind, schema_name, name)
        if found is not None:
            return found
        file = first_seen.get(seen_as)
        return Origin(file) if file else None

    namespaces = {
        name: dataclasses.replace(ns, origin=top(MentionKind.SCHEMA, None, name, ("schema", name, "")))
        for name, ns in schema.namespaces.items()
    }
    extensions = {
        name: dataclasses.replace(ext, origin=top(MentionKind.EXTENSION, None, name, ("extension", name, "")))
        for name, ext in schema.extensions.items()
    }
    enums = {
        key: dataclasses.replace(enum, origin=top(MentionKind.TYPE, key[0], key[1], ("type", *key)))
        for key, enum in schema.enums.items()
    }
    tables = {
        key: _table(table, top(MentionKind.TABLE, key[0], key[1], ("table", *key)), index)
        for key, table in schema.tables.items()
    }
    return dataclasses.replace(schema, namespaces=namespaces, extensions=extensions, enums=enums, tables=tables)


def _table(table: Table, origin: Origin | None, index: OriginIndex) -> Table:
    columns = {
        c.name: index.find(MentionKind.COLUMN, table.schema, c.name, table.name) or origin for c in table.columns
    }

    def member(part: Any) -> Any:
        found = None
        name = getattr(part, "name", None)
        if isinstance(name, str):
            found = index.find(MentionKind.MEMBER, table.schema, name, table.name)
        if found is None:
            own = getattr(part, "columns", None) or getattr(part, "elements", None)
            if isinstance(own, tuple) and len(own) == 1 and own[0] in columns:
                found = columns[own[0]]
        return replace(part, origin=found or origin)

    changes: dict[str, Any] = {"origin": origin}
    # Every part of a table that carries an origin gets one: the fields named here and any a
    # later model adds (policies), so that this module does not have to change with the model.
    for name in _field_names(type(table)):
        value = getattr(table, name)
        if name == "columns":
            changes["columns"] = tuple(replace(c, origin=columns[c.name]) for c in value)
        elif _has_origin(value):
            changes[name] = member(value)
        elif type(value) is tuple and value and all(_has_origin(v) for v in value):
            changes[name] = tuple(member(v) for v in value)
    return replace(table, **changes)


# Per class (2,000 tables and their 60,000 parts are looked at): its field names, and whether
# its objects carry an origin.
_FIELDS: dict[type, tuple[str, ...]] = {}
_CARRIES: dict[type, bool] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return _FIELDS[cls]


def _has_origin(value: object) -> bool:
    cls = type(value)
    if cls not in _CARRIES:
        _CARRIES[cls] = dataclasses.is_dataclass(cls) and (hasattr(cls, "origin") or "origin" in _field_names(cls))
    return _CARRIES[cls]
