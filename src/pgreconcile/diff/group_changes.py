"""The change that moves absorbed columns into a JSONB group (``groups: … absorbs:``)."""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import TableChange
from pgreconcile.model.keys import column_key


@dataclass(frozen=True)
class AbsorbColumns(TableChange):
    """One UPDATE that writes each absorbed column's value under the key of the same name (NULLs
    left out), before those columns are dropped. The data moves; it is not destroyed."""

    group: str
    columns: tuple[str, ...]

    ACTION = Action.UPDATE
    KIND = "group"

    @property
    def key(self) -> str:
        return column_key(self.schema, self.table_name, self.group) + "#absorb"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # Every row gets a new version, holding row locks until the transaction commits.
        return (Hazard.REWRITES_TABLE, Hazard.BLOCKS_WRITES)
