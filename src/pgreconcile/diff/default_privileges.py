"""Default privileges: which entries are managed, what they become, and what a new object is born with.

An entry is keyed by (schema, objects, role); the schema is :data:`EVERY_SCHEMA` for a
database-wide entry (``ALTER DEFAULT PRIVILEGES`` without ``IN SCHEMA``). The declarations manage
the entries of a (schema, role) pair they set any default privileges for — every kind of object
of that pair, so a kind they leave out holds none — and, for a schema that declares
``default_privileges:`` with nothing in it, the pair of the role applying the plan.

A database-wide entry replaces PostgreSQL's built-in defaults for its role (PUBLIC's EXECUTE on
functions, USAGE on types): without one, those hold. A schema's entry adds to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from pgreconcile.model import Schema
from pgreconcile.model.privileges import (
    DEFAULT_KIND,
    EVERY_SCHEMA,
    PUBLIC_DEFAULTS,
    DefaultObjects,
    DefaultPrivileges,
    Grant,
    GrantKind,
    GrantTarget,
)

Key = tuple[str, str, str]

# The default privileges a new object of each kind receives (views take those of tables).
DEFAULTS_FOR: dict[GrantKind, DefaultObjects] = {kind: objects for objects, kind in DEFAULT_KIND.items()} | {
    GrantKind.VIEW: DefaultObjects.TABLES,
    GrantKind.MATERIALIZED_VIEW: DefaultObjects.TABLES,
    GrantKind.FOREIGN_TABLE: DefaultObjects.TABLES,
    GrantKind.PROCEDURE: DefaultObjects.FUNCTIONS,
    GrantKind.AGGREGATE: DefaultObjects.FUNCTIONS,
}


def declared_defaults(desired: Schema, live: Schema) -> dict[Key, DefaultPrivileges]:
    """The declared default privileges, "the role that applies the plan" (an empty role) read as
    the role reading the live catalog."""
    role = live.current_role or ""
    out = {}
    for (schema, objects, for_role), dp in desired.default_privileges.items():
        resolved = for_role or role
        out[(schema, objects, resolved)] = dataclasses.replace(dp, role=resolved)
    return out


def managed_pairs(desired: Schema, live: Schema, declared: Mapping[Key, DefaultPrivileges]) -> set[tuple[str, str]]:
    """The (schema, role) pairs whose default privileges the declarations manage."""
    pairs = {(schema, role) for schema, _, role in declared}
    pairs |= {(schema, live.current_role or "") for schema in desired.default_privileges_managed
              if not any(s == schema for s, _ in pairs)}
    return pairs


def held_by(entries: Mapping[Key, DefaultPrivileges], key: Key) -> frozenset[Grant]:
    """What ``entries`` give objects of ``key``: a database-wide key without an entry holds
    PostgreSQL's built-in defaults, any other key without one holds nothing."""
    entry = entries.get(key)
    if entry is not None:
        return entry.grants
    if key[0] == EVERY_SCHEMA:
        return PUBLIC_DEFAULTS.get(DEFAULT_KIND[DefaultObjects(key[1])], frozenset())
    return frozenset()


@dataclass(frozen=True)
class Births:
    """What a new object gets before any GRANT, under one set of default privileges."""

    entries: Mapping[Key, DefaultPrivileges]
    role: str | None

    def of(self, target: GrantTarget) -> frozenset[Grant]:
        """The grants a new ``target`` holds when ``role`` creates it: the database-wide entry of
        its kind (PUBLIC's built-in defaults without one), and its schema's entry."""
        objects = DEFAULTS_FOR.get(target.kind)
        if objects is None or target.schema is None or self.role is None:
            return PUBLIC_DEFAULTS.get(target.kind, frozenset())
        found = set(held_by(self.entries, (EVERY_SCHEMA, str(objects), self.role)))
        entry = self.entries.get((target.schema, str(objects), self.role))
        if entry is not None:
            found |= entry.grants
        return frozenset(found)


def after_plan(desired: Schema, live: Schema) -> Births:
    """Births once the plan has run: declared entries where managed, the live ones elsewhere."""
    declared = declared_defaults(desired, live)
    pairs = managed_pairs(desired, live, declared)
    entries = {k: d for k, d in live.default_privileges.items() if (k[0], k[2]) not in pairs} | declared
    return Births(entries, live.current_role)


def declared_only(desired: Schema, live: Schema) -> Births:
    """Births under the declared default privileges alone: those of the scratch database SQL
    files ran in, where nothing else set any."""
    return Births(declared_defaults(desired, live), live.current_role)
