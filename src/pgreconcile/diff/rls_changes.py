"""Typed changes for row-level security: policies and the per-table RLS switches."""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import TableChange
from pgreconcile.model import Policy
from pgreconcile.model.keys import policy_key, table_key


@dataclass(frozen=True)
class CreatePolicy(TableChange):
    policy: Policy

    ACTION = Action.CREATE
    KIND = "policy"

    @property
    def key(self) -> str:
        return policy_key(self.schema, self.table_name, self.policy.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # CREATE POLICY takes ACCESS EXCLUSIVE on the table, briefly (no scan).
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class DropPolicy(TableChange):
    policy: Policy
    rls_stays_on: bool = True

    ACTION = Action.DESTROY
    KIND = "policy"

    @property
    def key(self) -> str:
        return policy_key(self.schema, self.table_name, self.policy.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # Without a restrictive policy, rows it filtered out become reachable (a permissive
        # policy going away only narrows access). Not a hazard when it is re-created.
        if not self.policy.permissive and self.rls_stays_on and not self.replaces:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.OPENS_ROW_ACCESS)
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class AlterPolicy(TableChange):
    """ALTER POLICY: roles, USING and WITH CHECK change in place (command and permissive
    cannot; the diff plans those as a re-create)."""

    old: Policy
    new: Policy

    ACTION = Action.UPDATE
    KIND = "policy"

    @property
    def key(self) -> str:
        return policy_key(self.schema, self.table_name, self.new.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class SetRowSecurity(TableChange):
    """ENABLE / DISABLE and FORCE / NO FORCE ROW LEVEL SECURITY, as far as they differ."""

    enabled: bool
    forced: bool
    was_enabled: bool
    was_forced: bool

    ACTION = Action.UPDATE
    KIND = "row security"

    @property
    def key(self) -> str:
        return table_key(self.schema, self.table_name) + "#rls"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.was_enabled and not self.enabled:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK, Hazard.OPENS_ROW_ACCESS)
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
