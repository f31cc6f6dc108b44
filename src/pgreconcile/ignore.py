"""Objects to leave alone: ``ignore`` patterns from the configuration, applied to both sides.

A pattern is a shell-style glob (``*``, ``?``, ``[abc]``) over qualified names:
``public.legacy_*`` matches tables of ``public`` whose name starts with ``legacy_``; a pattern
without a dot (``tmp_*``) matches that name in every schema. A ``table:``, ``enum:``, ``view:``,
``materialized_view:``, ``function:`` (functions and procedures, by name), ``aggregate:``,
``trigger:`` (``schema.table.trigger``), ``statistics:`` (``schema.name``), ``rule:``
(``schema.table.rule``), ``sequence:``, ``domain:``, ``type:`` (composite and range types),
``collation:``, ``text_search:`` (configurations and dictionaries) or ``operator:``
(``schema.symbol``) prefix chooses the kind of object; without one, a pattern names tables (and
the triggers, statistics and rules on them). The grants and owner of an ignored object are
ignored with it.

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
from pgreconcile.model.privileges import GrantTarget

# [routines] function: also procedures; trigger: schema.table.name
KINDS = ("table", "enum", "view", "materialized_view", "function", "aggregate", "trigger", "statistics", "rule",
         "sequence", "domain", "type", "collation", "text_search", "operator")

#: The kind of pattern that names each kind of grant target (what GRANT … ON names).
_TARGET_KINDS: dict[GrantKind, str] = {
    GrantKind.TABLE: "table", GrantKind.FOREIGN_TABLE: "table", GrantKind.COLUMN: "table",
    GrantKind.VIEW: "view", GrantKind.MATERIALIZED_VIEW: "materialized_view", GrantKind.SEQUENCE: "sequence",
    GrantKind.FUNCTION: "function", GrantKind.PROCEDURE: "function", GrantKind.AGGREGATE: "aggregate",
}

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
    """``schema`` without the objects that ``patterns`` name, nor Alembic's table."""
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
    # [privileges] The grants and owner of an ignored object (a table's columns too) go with it.
    types: dict[str, set[tuple[str, str]]] = {
        "domain": set(schema.domains), "type": {*schema.composite_types, *schema.range_types},
        "enum": set(schema.enums),
    }

    def target_ignored(target: GrantTarget) -> bool:
        if target.schema is None:
            return False
        if target.kind is GrantKind.TYPE:  # GRANT … ON TYPE names domains and enums too
            return any(ignored(kind, (target.schema, target.name)) for kind, found in types.items()
                       if (target.schema, target.name) in found)
        kind = _TARGET_KINDS.get(target.kind)
        return kind is not None and ignored(kind, (target.schema, target.name))

    grants = {k: g for k, g in schema.grants.items() if not target_ignored(g.target)}
    owners = {k: o for k, o in schema.owners.items() if not target_ignored(o.target)}
    operators = {k: o for k, o in schema.operators.items() if not ignored("operator", (k[0], k[1]))}
    return dataclasses.replace(
        schema,
        tables=tables,
        enums={k: e for k, e in schema.enums.items() if not ignored("enum", k)},
        views={k: v for k, v in schema.views.items() if not ignored("view", k)},
        materialized_views={k: v for k, v in schema.materialized_views.items() if not ignored("materialized_view", k)},
        external_tables=external,
        functions={k: f for k, f in schema.functions.items() if not ignored("function", (f.schema, f.name))},
        aggregates={k: a for k, a in schema.aggregates.items() if not ignored("aggregate", (a.schema, a.name))},
        triggers=triggers,
        statistics=statistics,
        rules=rules,
        sequences={k: q for k, q in schema.sequences.items() if not ignored("sequence", k)},
        domains={k: d for k, d in schema.domains.items() if not ignored("domain", k)},
        composite_types={k: t for k, t in schema.composite_types.items() if not ignored("type", k)},
        range_types={k: t for k, t in schema.range_types.items() if not ignored("type", k)},
        collations={k: c for k, c in schema.collations.items() if not ignored("collation", k)},
        ts_dictionaries={k: d for k, d in schema.ts_dictionaries.items() if not ignored("text_search", k)},
        ts_configurations={k: c for k, c in schema.ts_configurations.items() if not ignored("text_search", k)},
        operators=operators,
        grants=grants,
        owners=owners,
    )
