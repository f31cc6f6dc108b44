"""What ``reconcile inspect`` writes about access: grants, default privileges, publications, as
plain data in the declaration language's shape (shared by the YAML and the Python writers).

Grants are written for a schema or a table only when something is granted on it (or on one of
the table's columns), and for a view, sequence, routine or type only when they differ from what
PUBLIC holds on a new one (EXECUTE on a function, USAGE on a type): writing ``grants: {}``
everywhere would make every object's grants managed for no gain. Owners are not written (an
owner is usually the role that applies plans, and the inspecting role's objects would all
repeat it). Default privileges are written for the role that inspects. The roles what is
written names are written under ``roles:`` (with ``login`` where they can log in), so that the
files create them on a server that lacks them.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pgreconcile.declare.spec.names import dotted
from pgreconcile.emit.sequences import serial_sequences
from pgreconcile.emit.yaml_text import Block
from pgreconcile.model.keys import column_key, schema_key, table_key
from pgreconcile.model.objects import Partition, Table
from pgreconcile.model.privileges import (
    ALL_OPERATIONS,
    KIND_PRIVILEGES,
    PUBLIC,
    PUBLIC_DEFAULTS,
    DefaultPrivileges,
    Grant,
    GrantKind,
    GrantTarget,
    ObjectGrants,
    Publication,
)
from pgreconcile.model.roles import Role
from pgreconcile.model.routines import Aggregate, Function
from pgreconcile.model.schema import Schema

#: Kinds whose grants inspect writes only when something is granted (see the module docstring).
_WRITTEN_WHEN_HELD = (GrantKind.SCHEMA, GrantKind.TABLE, GrantKind.COLUMN)


def role_grants(grants: Iterable[Grant], kind: GrantKind) -> dict[str, Any]:
    """Role → ``[privileges]``, or ``{privileges, grant_option: true}`` when every one carries the
    grant option; a role holding some with and some without writes ``"insert with grant option"``
    entries. Privileges in PostgreSQL's order, roles by name."""
    order = KIND_PRIVILEGES.get(kind, ())
    by_role: dict[str, list[Grant]] = defaultdict(list)
    for g in grants:
        by_role[g.grantee].append(g)
    out: dict[str, Any] = {}
    for role, held in sorted(by_role.items()):
        held.sort(key=lambda g: (order.index(g.privilege) if g.privilege in order else len(order), g.privilege))
        if all(g.grantable for g in held):
            out[role] = {"privileges": [g.privilege for g in held], "grant_option": True}
        else:
            out[role] = [g.privilege + (" with grant option" if g.grantable else "") for g in held]
    return out


def schema_access(schema: Schema, name: str) -> dict[str, Any]:
    """``grants:`` and ``default_privileges:`` of one schema (empty keys left out)."""
    out: dict[str, Any] = {}
    held = schema.grants.get(schema_key(name))
    if held is not None and held.grants:
        out["grants"] = role_grants(held.grants, GrantKind.SCHEMA)
    defaults: dict[str, Any] = {}
    for (dschema, objects, role), dp in sorted(schema.default_privileges.items()):
        if dschema == name and role in ("", schema.current_role) and dp.grants:
            kind = GrantKind(objects.removesuffix("s"))
            defaults[objects] = role_grants(dp.grants, kind)
    if defaults:
        out["default_privileges"] = defaults
    return out


def table_grants(schema: Schema, table: Table) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
    """The table's ``grants:`` (None: nothing granted on it or its columns) and each column's."""
    held = schema.grants.get(table_key(table.schema, table.name))
    columns: dict[str, dict[str, Any]] = {}
    for col in table.columns:
        col_held = schema.grants.get(column_key(table.schema, table.name, col.name))
        if col_held is not None and col_held.grants:
            columns[col.name] = role_grants(col_held.grants, GrantKind.COLUMN)
    own = held.grants if held is not None else frozenset()
    if not own and not columns:
        return None, {}
    return role_grants(own, GrantKind.TABLE), columns


def object_grants(schema: Schema, target: GrantTarget) -> dict[str, Any] | None:
    """The ``grants:`` of a view, materialized view, sequence, routine or type, or None when it
    holds what PUBLIC holds on a new object of its kind (nothing to declare)."""
    held = schema.grants.get(target.key)
    if held is None or not _declares(held):
        return None
    return role_grants(held.grants, target.kind)


def written_targets(schema: Schema) -> dict[str, GrantTarget]:
    """By key, the objects besides schemas, tables and columns that inspect writes a declaration
    for (serial sequences are written as their column, extension members not at all)."""
    found: list[GrantTarget] = [GrantTarget(GrantKind.VIEW, s, n) for s, n in schema.views]
    found += [GrantTarget(GrantKind.MATERIALIZED_VIEW, s, n) for s, n in schema.materialized_views]
    serials = serial_sequences(schema.tables, schema.sequences)
    found += [GrantTarget(GrantKind.SEQUENCE, s, n) for s, n in schema.sequences if (s, n) not in serials]
    found += [routine_target(fn) for fn in schema.functions.values()]
    found += [aggregate_target(agg) for agg in schema.aggregates.values()]
    found += [GrantTarget(GrantKind.TYPE, s, n)
              for s, n in [*schema.domains, *schema.composite_types, *schema.range_types]]
    return {t.key: t for t in found}


def routine_target(fn: Function) -> GrantTarget:
    """What a grant on ``fn`` names: the routine by its input argument types."""
    return GrantTarget(GrantKind.PROCEDURE if fn.procedure else GrantKind.FUNCTION, fn.schema, fn.name,
                       args=fn.input_types)


def aggregate_target(agg: Aggregate) -> GrantTarget:
    """What a grant on ``agg`` names: the aggregate by its argument types."""
    return GrantTarget(GrantKind.AGGREGATE, agg.schema, agg.name, args=agg.arg_types)


def granted(entry: object, schema: Schema, target: GrantTarget) -> object:
    """[privileges] ``entry`` with the object's ``grants:`` when inspect declares them (a short form
    becomes the long one)."""
    grants = object_grants(schema, target)
    if grants is None:
        return entry
    if isinstance(entry, dict):
        body = Block(entry)
    else:  # the short form: a view's query, a domain's base type
        body = Block({"query" if target.kind in (GrantKind.VIEW, GrantKind.MATERIALIZED_VIEW) else "type": entry})
    body["grants"] = grants
    return body


def _declares(held: ObjectGrants) -> bool:
    """Whether inspect writes ``grants:`` for ``held``'s object."""
    if held.target.kind in _WRITTEN_WHEN_HELD:
        return bool(held.grants)
    return held.grants != PUBLIC_DEFAULTS.get(held.target.kind, frozenset())


def publication_data(pub: Publication) -> dict[str, Any]:
    """One publication in the language's long form, defaults left out."""
    out: dict[str, Any] = {}
    if pub.all_tables:
        out["all_tables"] = True
    if pub.tables:
        tables: dict[str, Any] = {}
        for t in pub.tables:
            body: dict[str, Any] = {}
            if t.columns is not None:
                body["columns"] = list(t.columns)
            if t.where is not None:
                body["where"] = t.where
            tables[dotted(t.schema, t.name)] = body
        out["tables"] = tables
    if pub.schemas:
        out["schemas"] = list(pub.schemas)
    if pub.publish != ALL_OPERATIONS:
        out["publish"] = [str(op) for op in pub.publish]
    if pub.via_partition_root:
        out["via_partition_root"] = True
    if pub.comment is not None:
        out["comment"] = pub.comment
    return out


def publications_data(schema: Schema) -> dict[str, Any]:
    """Every publication by name."""
    return {name: publication_data(pub) for name, pub in sorted(schema.publications.items())}


def written_roles(schema: Schema) -> dict[str, Role]:
    """The roles that what inspect writes names, so that the files create them on a server that
    lacks them (see :func:`_named_roles`); of declarations (no catalog's role names), the roles
    they declare."""
    if schema.roles is None:
        return dict(sorted(schema.declared_roles.items()))
    return as_declared(schema).declared_roles


def _named_roles(
    schema: Schema, grants: dict[str, ObjectGrants], defaults: dict[tuple[str, str, str], DefaultPrivileges]
) -> dict[str, Role]:
    """The roles the written grants, default privileges and policies name: not PUBLIC, not the
    inspecting role (the one that applies plans), not superusers nor PostgreSQL's own roles."""
    named: set[str] = set()
    for held in grants.values():
        named |= {grant.grantee for grant in held.grants}
    for dp in defaults.values():
        named |= {grant.grantee for grant in dp.grants}
    for table in schema.tables.values():
        for policy in table.policies:
            named |= set(policy.roles)
        named |= _partition_policy_roles(table.partitions)  # [partitions] their own policies
    known = schema.roles or frozenset()
    return {
        name: Role(name, login=name in schema.login_roles)
        for name in sorted(named)
        if name in known and name != PUBLIC and name != schema.current_role
        and name not in schema.superusers and not name.startswith("pg_")
    }


def roles_data(schema: Schema) -> dict[str, Any] | list[str]:
    """``roles:`` as inspect writes it: a list of names when none can log in, else a mapping."""
    roles = written_roles(schema)
    if not any(role.login for role in roles.values()):
        return list(roles)
    return {name: {"login": True} if role.login else {} for name, role in roles.items()}


def as_declared(schema: Schema) -> Schema:
    """``schema`` (live) as the files inspect writes would declare it: the grants :func:`object_grants`
    and :func:`table_grants` write, the inspecting role's default privileges, no owners."""
    written = written_targets(schema)
    grants = {
        key: held
        for key, held in schema.grants.items()
        if (held.target.kind in _WRITTEN_WHEN_HELD or key in written) and _declares(held)
    }
    defaults = {
        (s, objects, ""): dataclasses.replace(dp, role="")
        for (s, objects, role), dp in schema.default_privileges.items()
        if role == schema.current_role and dp.grants and s in schema.namespaces  # none in YAML for every schema
    }
    return dataclasses.replace(
        schema,
        grants=grants,
        owners={},
        default_privileges=defaults,
        default_privileges_managed=frozenset(s for s, _, _ in defaults),
        publications_managed=bool(schema.publications),
        publications={n: dataclasses.replace(p, owner=None) for n, p in schema.publications.items()},
        # [foreign] owners are not written, and what is written is managed
        foreign_data_wrappers={n: dataclasses.replace(w, owner=None) for n, w in schema.foreign_data_wrappers.items()},
        foreign_servers={n: dataclasses.replace(s, owner=None) for n, s in schema.foreign_servers.items()},
        foreign_data_managed=frozenset({"wrappers"} if schema.foreign_data_wrappers else set())
        | frozenset({"servers"} if schema.foreign_servers else set()),
        mapped_servers=frozenset(schema.foreign_servers),
        # [routines] nor an event trigger's owner
        event_triggers={n: dataclasses.replace(e, owner=None) for n, e in schema.event_triggers.items()},
        # [text-search] nor a dictionary's or configuration's
        ts_dictionaries={k: dataclasses.replace(d, owner=None) for k, d in schema.ts_dictionaries.items()},
        ts_configurations={k: dataclasses.replace(c, owner=None) for k, c in schema.ts_configurations.items()},
        operators={k: dataclasses.replace(o, owner=None) for k, o in schema.operators.items()},  # [operators]
        declared_roles=_named_roles(schema, grants, defaults),
    )


def _partition_policy_roles(parts: tuple[Partition, ...]) -> set[str]:
    """The roles the policies of partitions (every level) name."""
    named: set[str] = set()
    for part in parts:
        for policy in part.policies:
            named |= set(policy.roles)
        named |= _partition_policy_roles(part.partitions)
    return named
