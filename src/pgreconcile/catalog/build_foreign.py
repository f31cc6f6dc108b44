"""Rows of ``queries/foreign_data.sql`` → wrappers, servers, and foreign tables' servers."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.foreign import ForeignDataWrapper, ForeignServer, Options, UserMapping
from pgreconcile.model.objects import ColumnOptions, Table


def options(stored: Sequence[str] | None) -> Options:
    """``['host=db', 'port=5432']`` (as the catalogs store options) → sorted pairs."""
    pairs = (item.split("=", 1) for item in stored or ())
    return tuple(sorted((name, value) for name, value in pairs))


@dataclasses.dataclass
class ForeignData:
    wrappers: dict[str, ForeignDataWrapper] = dataclasses.field(default_factory=dict)
    servers: dict[str, ForeignServer] = dataclasses.field(default_factory=dict)
    mappings: dict[tuple[str, str], UserMapping] = dataclasses.field(default_factory=dict)
    # (schema, table) → (server, options, its columns' options)
    tables: dict[tuple[str, str], tuple[str, Options, ColumnOptions]] = dataclasses.field(default_factory=dict)


def foreign_data(rows: Iterable[Sequence[Any]]) -> ForeignData:
    """Every row by its kind."""
    found = ForeignData()
    for kind, schema, name, parent, owner, first, second, stored in rows:
        if kind == "wrapper":
            found.wrappers[name] = ForeignDataWrapper(name, first, second, options(stored), owner)
        elif kind == "server":
            found.servers[name] = ForeignServer(name, parent, first, second, options(stored), owner)
        elif kind == "user mapping":
            readable = options(stored) if first == "readable" else None
            found.mappings[(parent, name)] = UserMapping(parent, name, readable)
        else:
            by_column = json.loads(second) if second else {}
            column_options = tuple(sorted((column, options(opts)) for column, opts in by_column.items()))
            found.tables[(schema, name)] = (parent, options(stored), column_options)
    return found


def with_servers(tables: dict[tuple[str, str], Table], found: ForeignData) -> dict[tuple[str, str], Table]:
    """The foreign tables among ``tables`` with their server and options."""
    if not found.tables:
        return tables
    out = dict(tables)
    for key, (server, opts, column_options) in found.tables.items():
        if key in out:
            out[key] = dataclasses.replace(out[key], server=server, server_options=opts,
                                           column_server_options=column_options)
    return out
