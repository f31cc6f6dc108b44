"""Typed changes for code objects: functions, procedures and triggers.

Functions hold no data, so dropping one is not gated by ``--allow-destroy``; the plan names it.
Triggers belong under their table in the plan (they are :class:`TableChange` s), also when the
table is outside the managed schemas (``auth.users``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change, TableChange
from pgreconcile.model.routines import Aggregate, EventTrigger, Function, Trigger, TriggerEnabled


@dataclass(frozen=True)
class CreateFunction(Change):
    function: Function

    ACTION = Action.CREATE
    KIND = "function"

    @property
    def key(self) -> str:
        return self.function.key


@dataclass(frozen=True)
class DropFunction(Change):
    function: Function

    ACTION = Action.DESTROY
    KIND = "function"

    @property
    def key(self) -> str:
        return self.function.key


@dataclass(frozen=True)
class ReplaceFunction(Change):
    """CREATE OR REPLACE: same signature, result and argument names; everything else (body,
    language, volatility, SET, …) takes the declared value. Grants and the comment stay."""

    old: Function
    new: Function

    ACTION = Action.UPDATE
    KIND = "function"

    @property
    def key(self) -> str:
        return self.new.key


@dataclass(frozen=True)
class SetFunctionComment(Change):
    function: Function
    old: str | None

    ACTION = Action.UPDATE
    KIND = "function"

    @property
    def key(self) -> str:
        return self.function.key


@dataclass(frozen=True)
class RenameFunction(Change):
    """ALTER FUNCTION … RENAME TO: a declared ``renamed_from`` whose old name is live."""

    function: Function
    old_name: str

    ACTION = Action.RENAME
    KIND = "function"

    @property
    def key(self) -> str:
        return self.function.key


@dataclass(frozen=True)
class CreateTrigger(TableChange):
    trigger: Trigger

    ACTION = Action.CREATE
    KIND = "trigger"

    @property
    def key(self) -> str:
        return self.trigger.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # CREATE TRIGGER takes SHARE ROW EXCLUSIVE: it blocks writes to the table, briefly.
        return (Hazard.BLOCKS_WRITES,)


@dataclass(frozen=True)
class DropTrigger(TableChange):
    trigger: Trigger

    ACTION = Action.DESTROY
    KIND = "trigger"

    @property
    def key(self) -> str:
        return self.trigger.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class SetTriggerEnabled(TableChange):
    """ALTER TABLE … ENABLE [REPLICA | ALWAYS] / DISABLE TRIGGER."""

    trigger: Trigger
    old: TriggerEnabled

    ACTION = Action.UPDATE
    KIND = "trigger"

    @property
    def key(self) -> str:
        return self.trigger.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.BLOCKS_WRITES,)


@dataclass(frozen=True)
class SetTriggerComment(TableChange):
    trigger: Trigger
    old: str | None

    ACTION = Action.UPDATE
    KIND = "trigger"

    @property
    def key(self) -> str:
        return self.trigger.key


@dataclass(frozen=True)
class RenameTrigger(TableChange):
    trigger: Trigger
    old_name: str

    ACTION = Action.RENAME
    KIND = "trigger"

    @property
    def key(self) -> str:
        return self.trigger.key


@dataclass(frozen=True)
class CreateAggregate(Change):
    aggregate: Aggregate
    replace: bool = False  # CREATE OR REPLACE AGGREGATE: same transition type and final function

    ACTION = Action.CREATE
    KIND = "aggregate"

    @property
    def action(self) -> Action:
        return Action.UPDATE if self.replace else Action.CREATE

    @property
    def key(self) -> str:
        return self.aggregate.key


@dataclass(frozen=True)
class DropAggregate(Change):
    aggregate: Aggregate

    ACTION = Action.DESTROY
    KIND = "aggregate"

    @property
    def key(self) -> str:
        return self.aggregate.key


@dataclass(frozen=True)
class SetAggregateComment(Change):
    aggregate: Aggregate
    old: str | None

    ACTION = Action.UPDATE
    KIND = "aggregate"

    @property
    def key(self) -> str:
        return self.aggregate.key


@dataclass(frozen=True)
class CreateEventTrigger(Change):
    event_trigger: EventTrigger

    ACTION = Action.CREATE
    KIND = "event trigger"

    @property
    def key(self) -> str:
        return self.event_trigger.key


@dataclass(frozen=True)
class DropEventTrigger(Change):
    event_trigger: EventTrigger

    ACTION = Action.DESTROY
    KIND = "event trigger"

    @property
    def key(self) -> str:
        return self.event_trigger.key


@dataclass(frozen=True)
class AlterEventTrigger(Change):
    """ALTER EVENT TRIGGER … ENABLE/DISABLE and COMMENT ON EVENT TRIGGER, as far as they differ."""

    event_trigger: EventTrigger
    old: EventTrigger

    ACTION = Action.UPDATE
    KIND = "event trigger"

    @property
    def key(self) -> str:
        return self.event_trigger.key
