"""Objects to leave alone: ``ignore`` patterns from the configuration, applied to both sides.

A pattern is a shell-style glob (``*``, ``?``, ``[abc]``) over qualified names:
``public.legacy_*`` matches tables of ``public`` whose name starts with ``legacy_``; a pattern
without a dot (``tmp_*``) matches that name in every schema. A ``table:``, ``enum:``, ``view:``,
``materialized_view:``, ``function:`` (functions and procedures, by name), ``trigger:``
(``schema.table.trigger``), ``statistics:`` (``schema.name``) or ``rule:`` (``schema.table.rule``)
prefix chooses the kind of object; without one, a pattern names tables (and the triggers,
statistics and rules on them).

Ignoring is done on the models, before they are compared: an ignored object is neither created,
changed nor dropped, whichever side it is on. An ignored live table stays known as an external
table (its column names), so a declared foreign key may still reference it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from pgreconcile.errors import ReconcileError
from pgreconcile.model import GrantKind, Schema
from pgreconcile.model.keys import table_key

# [routines] function: also procedures; trigger: schema.table.name
KINDS = ("table", "enum", "view", "materialized_view", "function", "trigger", "statistics", "rule")

#: Alembic's revision table, in any schema: left alone always, so that reconciling a database an
#: Alembic history also touches never drops its record of that history (docs/sqlalchemy.md).
ALEMBIC_TABLE = "alembic_version"


@dataclass(frozen=True)
class Pattern:
    """One ignore pattern: the kind of object it names and a glob over its name."""

    kind: str
    glob: str

    def matches(self, kind: str, schema: str, name: str) -> bool:
        if kind != self.kind:
            return False
        if "." in self.glob:
            return fnmatchcase(f"{schema}.{name}", self.glob)
        return fnmatchcase(name, self.glob)


def parse_patterns(texts: Iterable[str], *, where: str | None = None) -> tuple[Pattern, ...]:
    """Patterns from their configured text; a bad one raises :class:`ReconcileError`."""
    patterns: list[Pattern] = []
    for text in texts:
        kind, sep, glob = text.partition(":")
        if not sep:
            kind, glob = "table", text
        if kind not in KINDS or not glob.strip():
            raise ReconcileError(
                f"ignore pattern {text!r} is not valid",
                where=where,
                hint='write a glob over qualified names, optionally prefixed by its kind: "public.legacy_*", '
                '"enum:public.old_*" (kinds: ' + ", ".join(KINDS) + ")",
            )
        patterns.append(Pattern(kind, glob.strip()))
    return tuple(patterns)


def without_ignored(schema: Schema, patterns: tuple[Pattern, ...]) -> Schema:
    """``schema`` without the tables and enums that ``patterns`` name, nor Alembic's table."""
    patterns = (*patterns, Pattern("table", ALEMBIC_TABLE))
    if not any(name == ALEMBIC_TABLE for _, name in schema.tables) and len(patterns) == 1:
        return schema

    def ignored(kind: str, key: tuple[str, str]) -> bool:
        return any(p.matches(kind, *key) for p in patterns)

    tables = {k: t for k, t in schema.tables.items() if not ignored("table", k)}
    external = dict(schema.external_tables)
    for key, table in schema.tables.items():
        if key not in tables:
            external[key] = tuple(c.name for c in table.columns)
    # [routines] a trigger is ignored by its own pattern (`trigger:public.items.audit_*`) or with its table.
    triggers = {
        k: t for k, t in schema.triggers.items()
        if not ignored("trigger", (k[0], f"{k[1]}.{k[2]}")) and not ignored("table", (k[0], k[1]))
    }
    # Statistics and rules go with their table too, or by their own pattern.
    statistics = {
        k: s for k, s in schema.statistics.items()
        if not ignored("statistics", k) and not ignored("table", (s.schema, s.table))
    }
    rules = {
        k: r for k, r in schema.rules.items()
        if not ignored("rule", (k[0], f"{k[1]}.{k[2]}")) and not ignored("table", (k[0], k[1]))
    }
    # [privileges] The grants of an ignored table and its columns are ignored with it.
    gone = {table_key(*k) for k in schema.tables if k not in tables}
    grants = {
        k: g for k, g in schema.grants.items()
        if table_key(g.target.schema or "", g.target.name) not in gone
        or g.target.kind not in (GrantKind.TABLE, GrantKind.COLUMN)
    }
    return dataclasses.replace(
        schema,
        tables=tables,
        enums={k: e for k, e in schema.enums.items() if not ignored("enum", k)},
        views={k: v for k, v in schema.views.items() if not ignored("view", k)},
        materialized_views={k: v for k, v in schema.materialized_views.items() if not ignored("materialized_view", k)},
        external_tables=external,
        functions={k: f for k, f in schema.functions.items() if not ignored("function", (f.schema, f.name))},
        triggers=triggers,
        statistics=statistics,
        rules=rules,
        grants=grants,
    )
