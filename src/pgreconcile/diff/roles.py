"""Roles the declarations need: created when the server lacks them (model/roles.py).

Nothing else is ever planned for a role: one that exists is left as it is whatever its
attributes, and an undeclared one is never dropped (other databases of the server may use it).
A new role comes before every other change of the plan (order/graph.py): owners, grants,
policies and default privileges may name it, and creating it needs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change
from pgreconcile.model import Schema
from pgreconcile.model.keys import role_key
from pgreconcile.model.roles import Role


@dataclass(frozen=True)
class CreateRole(Change):
    """CREATE ROLE … LOGIN / NOLOGIN, for a declared role the server lacks."""

    role: Role

    ACTION = Action.CREATE
    KIND = "role"
    ORDER_RANK = 0

    @property
    def key(self) -> str:
        return role_key(self.role.name)


def compare_roles(desired: Schema, live: Schema) -> list[Change]:
    """A CreateRole for each declared role the server lacks (none when the server's roles are
    unknown, as in an offline plan)."""
    if live.roles is None:
        return []
    return [
        CreateRole(role, creates=frozenset({role_key(name)}))
        for name, role in sorted(desired.declared_roles.items())
        if name not in live.roles
    ]
