"""What SQL declaration files say about access, read back from the scratch database.

The scratch database is not the target: its roles are stand-ins and the role that ran the files
owns everything. So from SQL files, pgreconcile manages:

* the grants of each object the files granted something on (an ACL that differs from what a new
  object gets) — not of every object, because a target's default privileges (Supabase grants
  ``anon`` and ``authenticated`` on every new table in ``public``) are not in the files, and
  managing untouched objects would revoke them;
* schema grants only for schemas the files create (``public``'s stock ACL is not a declaration);
* default privileges the files set (``ALTER DEFAULT PRIVILEGES IN SCHEMA …`` by the role that
  ran them, read as "the role that applies the plan");
* publications, when the files create any.

Owners are never taken from SQL files (the scratch role owns everything).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from pgreconcile.model import Schema
from pgreconcile.model.privileges import PUBLIC_DEFAULTS, GrantKind


def declared_access(read: Schema, managed: frozenset[str], fresh: Iterable[str]) -> Schema:
    """``read`` (already narrowed to ``managed``) with only the access the files declared."""
    stock = frozenset(fresh)
    grants = {}
    for key, held in read.grants.items():
        target = held.target
        schema = target.name if target.kind is GrantKind.SCHEMA else target.schema
        if schema not in managed or held.grants == PUBLIC_DEFAULTS.get(target.kind, frozenset()):
            continue
        if target.kind is GrantKind.SCHEMA and target.name in stock:
            continue
        grants[key] = dataclasses.replace(held)
    defaults = {
        (schema, objects, ""): dataclasses.replace(dp, role="")
        for (schema, objects, role), dp in read.default_privileges.items()
        if schema in managed and role == read.current_role
    }
    return dataclasses.replace(
        read,
        grants=grants,
        owners={},
        default_privileges=defaults,
        default_privileges_managed=frozenset(schema for schema, _, _ in defaults),
        publications_managed=bool(read.publications),
        roles=None,
        current_role=None,
    )
