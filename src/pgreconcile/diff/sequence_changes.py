"""Typed changes for sequences: create, drop, alter in place, and the column that owns one.

A sequence's current value is data: ``ALTER SEQUENCE`` with new options keeps the counter where
it is (``START WITH`` only says where a later ``RESTART`` would go). The one exception is a range
narrowed past a counter that never drew a value (model.sequences.restarts).
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change
from pgreconcile.model.keys import sequence_key
from pgreconcile.model.sequences import Sequence, narrows


@dataclass(frozen=True)
class CreateSequence(Change):
    """``CREATE SEQUENCE`` with every option; the owning column is set by :class:`SetSequenceOwner`
    once its table exists (the table's default needs the sequence first)."""

    sequence: Sequence

    ACTION = Action.CREATE
    KIND = "sequence"

    @property
    def key(self) -> str:
        return sequence_key(self.sequence.schema, self.sequence.name)


@dataclass(frozen=True)
class DropSequence(Change):
    """``DROP SEQUENCE``. A sequence holds a counter, not rows: nothing is gated, but the plan
    says the counter is lost (a sequence declared again later starts over)."""

    sequence: Sequence

    ACTION = Action.DESTROY
    KIND = "sequence"

    @property
    def key(self) -> str:
        return sequence_key(self.sequence.schema, self.sequence.name)


@dataclass(frozen=True)
class AlterSequence(Change):
    """``ALTER SEQUENCE`` for the options that differ, and its comment; ``RESTART`` only for a
    narrowed range where nothing was drawn yet (model.sequences.restarts)."""

    old: Sequence
    new: Sequence

    ACTION = Action.UPDATE
    KIND = "sequence"

    @property
    def key(self) -> str:
        return sequence_key(self.new.schema, self.new.name)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # A narrower range (or type) fails when the current value lies outside it — unless the
        # counter was read (catalog/counters.py): then one outside refuses the plan instead, and
        # one that never drew a value is restarted.
        o, n = self.old.options, self.new.options
        if narrows(o, n) and not o.counter_read:
            return (Hazard.MAY_FAIL_ON_DATA,)
        return ()


@dataclass(frozen=True)
class SetSequenceOwner(Change):
    """``ALTER SEQUENCE … OWNED BY table.column`` (or ``NONE``): the sequence then goes with
    that column or table, as a serial's does."""

    sequence: Sequence
    old_owner: tuple[str, str] | None = None

    ACTION = Action.UPDATE
    KIND = "sequence"

    @property
    def key(self) -> str:
        # Not "#owner": that is what an owner change of the sequence creates (keys.owner_key),
        # which this step waits for.
        return sequence_key(self.sequence.schema, self.sequence.name) + "#owned-by"


@dataclass(frozen=True)
class SetSequenceLogged(Change):
    """``ALTER SEQUENCE … SET LOGGED`` / ``SET UNLOGGED`` (PostgreSQL 15+). A step of its own,
    after the tables' options: a table's ``SET LOGGED`` carries the sequences its columns own
    along, so a sequence declared otherwise is set once its table has changed."""

    sequence: Sequence
    # As it is live before the plan: the same as declared when only its table's change would
    # switch it (the step then sets it back).
    was_unlogged: bool | None = None

    ACTION = Action.UPDATE
    KIND = "sequence"

    @property
    def key(self) -> str:
        return sequence_key(self.sequence.schema, self.sequence.name) + "#persistence"
