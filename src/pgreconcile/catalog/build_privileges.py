"""Rows of the privileges, roles, default privileges and publications queries → model objects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pgreconcile.model.privileges import (
    DefaultObjects,
    DefaultPrivileges,
    Grant,
    GrantKind,
    GrantTarget,
    ObjectGrants,
    ObjectOwner,
    Publication,
    PublishedTable,
    PublishOperation,
)

Row = Sequence[Any]

_DEFAULT_OBJECTS: dict[str, DefaultObjects] = {
    "r": DefaultObjects.TABLES,
    "S": DefaultObjects.SEQUENCES,
    "f": DefaultObjects.FUNCTIONS,
    "T": DefaultObjects.TYPES,
}


def grants_and_owners(rows: Iterable[Row]) -> tuple[dict[str, ObjectGrants], dict[str, ObjectOwner]]:
    """Every object's grants to roles other than its owner, and every object's owner (columns
    have no owner of their own), both by object key."""
    found: dict[str, tuple[GrantTarget, set[Grant]]] = {}
    owners: dict[str, ObjectOwner] = {}
    for kind, schema, name, column, args, owner, grantee, privilege, grantable in rows:
        target = GrantTarget(GrantKind(kind), schema, name, column, tuple(args or ()))
        key = target.key
        entry = found.setdefault(key, (target, set()))
        if column is None:
            owners.setdefault(key, ObjectOwner(target, owner))
        if grantee is not None:
            entry[1].add(Grant(grantee, privilege, bool(grantable)))
    grants = {key: ObjectGrants(target, frozenset(held)) for key, (target, held) in sorted(found.items())}
    return grants, owners


@dataclass(frozen=True)
class Roles:
    """What the catalog says about roles: every name, the reading role, login roles, superusers."""

    names: frozenset[str]
    current: str | None
    login: frozenset[str]
    superusers: frozenset[str]


def roles(rows: Iterable[Row]) -> Roles:
    """Every role name, the name of the role reading the catalog, and the roles that can log
    in and the superusers among them all."""
    names: set[str] = set()
    login: set[str] = set()
    superusers: set[str] = set()
    current: str | None = None
    for name, is_current, can_login, is_super in rows:
        names.add(name)
        if is_current:
            current = name
        if can_login:
            login.add(name)
        if is_super:
            superusers.add(name)
    return Roles(frozenset(names), current, frozenset(login), frozenset(superusers))


def default_privileges(rows: Iterable[Row]) -> dict[tuple[str, str, str], DefaultPrivileges]:
    """Per-schema default privileges, keyed by (schema, objects, role). Schema-level defaults for
    schemas (``n``) cannot exist; unknown object types are skipped."""
    found: dict[tuple[str, str, str], set[Grant]] = {}
    for schema, role, objtype, grantee, privilege, grantable in rows:
        objects = _DEFAULT_OBJECTS.get(objtype)
        if objects is None:
            continue
        held = found.setdefault((schema, str(objects), role), set())
        if grantee is not None:
            held.add(Grant(grantee, privilege, bool(grantable)))
    return {
        key: DefaultPrivileges(key[0], DefaultObjects(key[1]), key[2], frozenset(held))
        for key, held in sorted(found.items())
    }


def publications(rows: Iterable[Row]) -> dict[str, Publication]:
    """Every publication of the database by name."""
    out: dict[str, Publication] = {}
    for name, all_tables, ins, upd, dele, trunc, via_root, comment, tables, schemas, owner in rows:
        flags = (ins, upd, dele, trunc)
        publish = tuple(op for op, on in zip(PublishOperation, flags, strict=True) if on)
        published = []
        for text in tables or ():
            item = json.loads(text)
            columns = tuple(item["columns"]) if item.get("columns") is not None else None
            published.append(PublishedTable(item["schema"], item["name"], columns, item.get("where")))
        out[name] = Publication(
            name=name,
            all_tables=bool(all_tables),
            tables=tuple(sorted(published)),
            schemas=tuple(sorted(schemas or ())),
            publish=publish,
            via_partition_root=bool(via_root),
            comment=comment,
            owner=owner,
        )
    return out

