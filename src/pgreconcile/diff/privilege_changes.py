"""Typed changes for privileges: grants and revokes on one object, owners, default privileges.

Grants are one change per object and direction, so a plan reads ``+ grants on table
public.notes: select to anon`` and ``- grants on table public.notes: insert to anon``; the key
is the object's own key with a suffix, and every change needs the object's key, so it runs
after whatever change creates (or re-creates) the object.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change
from pgreconcile.model.privileges import DefaultObjects, Grant, GrantKind, GrantTarget, default_privileges_key

_TABLE_KINDS = (
    GrantKind.TABLE,
    GrantKind.COLUMN,
    GrantKind.VIEW,
    GrantKind.MATERIALIZED_VIEW,
    GrantKind.FOREIGN_TABLE,
    GrantKind.SEQUENCE,
)


@dataclass(frozen=True)
class _OnObject(Change):
    target: GrantTarget

    @property
    def table(self) -> str | None:
        # Grants on a table or one of its columns are shown under that table.
        if self.target.kind in (GrantKind.TABLE, GrantKind.COLUMN):
            return f"{self.target.schema}.{self.target.name}"
        return None

    @property
    def kind(self) -> str:
        return f"{self.KIND} on {self.target.kind}"


@dataclass(frozen=True)
class GrantPrivileges(_OnObject):
    """GRANT … ON <object> TO <role> [WITH GRANT OPTION], for the grants it lacks."""

    grants: frozenset[Grant]

    ACTION = Action.CREATE
    KIND = "grant"
    ORDER_RANK = 42

    @property
    def key(self) -> str:
        return self.target.key + "#grant"


@dataclass(frozen=True)
class RevokePrivileges(_OnObject):
    """REVOKE … ON <object> FROM <role>: ``grants`` go entirely; ``options`` keep the privilege
    and lose only its grant option (REVOKE GRANT OPTION FOR)."""

    grants: frozenset[Grant]
    options: frozenset[Grant] = frozenset()
    # The object is created by this plan: the revoke narrows what it is born with (default
    # privileges), and takes nothing away from anyone who had it.
    new_object: bool = False

    ACTION = Action.DESTROY
    KIND = "grant"
    ORDER_RANK = 40

    @property
    def key(self) -> str:
        return self.target.key + "#revoke"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return () if self.new_object else (Hazard.REVOKES_ACCESS,)


@dataclass(frozen=True)
class SetOwner(_OnObject):
    """ALTER <kind> … OWNER TO: the declared owner."""

    owner: str
    old: str | None

    ACTION = Action.UPDATE
    KIND = "owner"
    ORDER_RANK = 41

    @property
    def key(self) -> str:
        return self.target.key + "#owner"

    @property
    def kind(self) -> str:
        return f"owner of {self.target.kind}"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # The old owner keeps nothing of its implicit privileges; ALTER TABLE … OWNER takes an
        # ACCESS EXCLUSIVE lock on a relation.
        if self.target.kind in _TABLE_KINDS:
            return (Hazard.REVOKES_ACCESS, Hazard.ACCESS_EXCLUSIVE_LOCK)
        return (Hazard.REVOKES_ACCESS,)


@dataclass(frozen=True)
class AlterDefaultPrivileges(Change):
    """ALTER DEFAULT PRIVILEGES FOR ROLE … IN SCHEMA … GRANT / REVOKE … ON <objects>."""

    schema: str
    objects: DefaultObjects
    role: str
    grants: frozenset[Grant] = frozenset()
    revokes: frozenset[Grant] = frozenset()

    ACTION = Action.UPDATE
    KIND = "default privileges"
    ORDER_RANK = 43

    @property
    def key(self) -> str:
        return default_privileges_key(self.schema, str(self.objects), self.role)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.REVOKES_ACCESS,) if self.revokes else ()
