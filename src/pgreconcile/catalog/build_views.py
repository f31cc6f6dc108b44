"""Catalog rows → views and materialized views.

Row shape fixed by ``queries/views.sql``. The same rows, read over the temporary schema, give
the canonical form of declared queries (:mod:`pgreconcile.catalog.canonical`), so both sides
go through :func:`view_parts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pgreconcile.model.objects import Index
from pgreconcile.model.views import CheckOption, ColumnSetting, MaterializedView, View, strip_query

Row = Sequence[Any]

# Options that are view properties in the model; everything else in a view's reloptions is
# unknown to PostgreSQL for views, so there is nothing else.
_VIEW_OPTIONS = ("security_invoker", "security_barrier", "check_option")
_FLAGS = ("security_invoker", "security_barrier")


@dataclass(frozen=True, slots=True)
class ViewParts:
    """One row of ``views.sql``, decoded."""

    oid: int
    schema: str
    name: str
    materialized: bool
    query: str
    options: dict[str, str]
    comment: str | None
    columns: tuple[tuple[str, str], ...]
    column_comments: tuple[tuple[str, str], ...]
    reads: frozenset[str]


def view_parts(row: Row) -> ViewParts:
    """Decode one ``views.sql`` row."""
    oid, schema, name, relkind, query, reloptions, comment, names, types, comments, reads = row
    options = dict(option.split("=", 1) for option in reloptions)
    column_comments = tuple(sorted((n, c) for n, c in zip(names, comments, strict=True) if c is not None))
    return ViewParts(
        oid=oid,
        schema=schema,
        name=name,
        materialized=relkind == "m",
        query=strip_query(query or ""),
        options=options,
        comment=comment,
        columns=tuple(zip(names, types, strict=True)),
        column_comments=column_comments,
        reads=frozenset(reads),
    )


def _flag(options: dict[str, str], name: str) -> bool | None:
    """A boolean option as set (None: not set)."""
    value = options.get(name)
    return None if value is None else value.lower() in ("true", "on", "yes", "1")


def column_settings(rows: Iterable[Row]) -> dict[int, tuple[ColumnSetting, ...]]:
    """``column_options.sql`` rows → the storage and statistics target of each relation's
    columns that set either, by oid (a table's are read with its columns; a materialized view's
    are picked from here)."""
    found: dict[int, list[ColumnSetting]] = {}
    for relid, name, _collation, _compression, storage, stattarget, _options in rows:
        if storage is not None or stattarget is not None:
            found.setdefault(relid, []).append(ColumnSetting(name, storage, stattarget))
    return {relid: tuple(sorted(found[relid], key=lambda s: s.column)) for relid in found}


def views(
    rows: Iterable[Row], indexes: dict[int, list[Index]],
    settings: dict[int, tuple[ColumnSetting, ...]] | None = None,
) -> tuple[dict[tuple[str, str], View], dict[tuple[str, str], MaterializedView]]:
    """``views.sql`` rows (and the indexes and column settings read per relation oid) → views
    and materialized views."""
    settings = settings or {}
    plain: dict[tuple[str, str], View] = {}
    materialized: dict[tuple[str, str], MaterializedView] = {}
    for row in rows:
        p = view_parts(row)
        if p.materialized:
            materialized[(p.schema, p.name)] = MaterializedView(
                schema=p.schema,
                name=p.name,
                query=p.query,
                storage=tuple(sorted(p.options.items())),
                option_order=tuple(p.options),
                column_settings=settings.get(p.oid, ()),
                indexes=tuple(sorted(indexes.get(p.oid, ()), key=lambda i: i.name)),
                comment=p.comment,
                column_comments=p.column_comments,
                columns=p.columns,
                reads=p.reads,
            )
        else:
            check = p.options.get("check_option")
            plain[(p.schema, p.name)] = View(
                schema=p.schema,
                name=p.name,
                query=p.query,
                security_invoker=_flag(p.options, "security_invoker"),
                security_barrier=_flag(p.options, "security_barrier"),
                check_option=CheckOption(check.lower()) if check else None,
                comment=p.comment,
                column_comments=p.column_comments,
                columns=p.columns,
                reads=p.reads,
                option_order=tuple(name for name in p.options if name in _VIEW_OPTIONS),
                option_text=tuple((n, v) for n, v in p.options.items() if n in _FLAGS),
            )
    return plain, materialized


def relation_names(rows: Iterable[Row]) -> dict[int, tuple[str, str]]:
    """Oid → (schema, name) of every view row (so that the index reader can name a matview)."""
    return {row[0]: (row[1], row[2]) for row in rows}
