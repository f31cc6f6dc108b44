"""Compare collations: created, dropped, re-created when their definition differs (PostgreSQL
cannot alter one), commented.

A collation that columns use cannot be dropped: a re-created or undeclared one that a live
column keeps using refuses the plan, naming the columns. Columns and domains that name a
declared collation need it (diff/deps.py), so it is created before them and dropped after.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change
from pgreconcile.model import Schema
from pgreconcile.model.collations import Collation
from pgreconcile.model.keys import collation_key, schema_key
from pgreconcile.quoting import qualified


@dataclass(frozen=True)
class CreateCollation(Change):
    collation: Collation

    ACTION = Action.CREATE
    KIND = "collation"
    ORDER_RANK = 4  # with the types: before the tables whose columns use it

    @property
    def key(self) -> str:
        return self.collation.key


@dataclass(frozen=True)
class DropCollation(Change):
    collation: Collation

    ACTION = Action.DESTROY
    KIND = "collation"
    ORDER_RANK = 30  # with the types: after the columns that used it are gone

    @property
    def key(self) -> str:
        return self.collation.key


@dataclass(frozen=True)
class SetCollationComment(Change):
    collation: Collation
    old: str | None

    ACTION = Action.UPDATE
    KIND = "collation comment"
    ORDER_RANK = 6

    @property
    def key(self) -> str:
        return self.collation.key + "#comment"


def collation_sql(collation: Collation) -> str:
    """How a column's ``COLLATE`` (and the catalog) names a collation of one's own."""
    return qualified(collation.schema, collation.name)


def _users(schema: Schema, collation: Collation) -> list[str]:
    """``schema.table.column`` of every column of ``schema`` that uses ``collation``."""
    sql = collation_sql(collation)
    return [
        f"{table.qualified}.{col.name}"
        for table in schema.tables.values()
        for col in table.columns
        if col.collation == sql
    ]


def compare_collations(desired: Schema, live: Schema) -> tuple[list[Change], list[str]]:
    """The collation changes, and refusals for collations still in use that would be dropped."""
    changes: list[Change] = []
    refusals: list[str] = []
    for key, wanted in desired.collations.items():
        current = live.collations.get(key)
        needs = frozenset({schema_key(wanted.schema)})
        creates = frozenset({wanted.key})
        if current is None:
            changes.append(CreateCollation(wanted, needs=needs, creates=creates))  # with its comment
            continue
        if wanted != current:
            users = _users(live, current)
            if users:
                refusals.append(
                    f"collation {current.qualified} must be re-created (PostgreSQL cannot alter a collation), but "
                    f"{', '.join(users)} use{'s' if len(users) == 1 else ''} it; change the columns to another "
                    "collation first, or keep this one as it is"
                )
                continue
            why = "re-created: its definition changed"
            changes.append(DropCollation(current, removes=creates, replaces=True, reason=why))
            changes.append(CreateCollation(wanted, needs=needs, creates=creates, replaces=True, reason=why))
            continue
        if wanted.comment != current.comment:
            changes.append(SetCollationComment(wanted, current.comment, needs=frozenset({wanted.key})))
    for key, current in live.collations.items():
        if key[0] in desired.managed and key not in desired.collations:
            users = _users(desired, current)
            if users:
                refusals.append(
                    f"collation {current.qualified} is not declared and would be dropped, but {', '.join(users)} "
                    "use it; declare the collation"
                )
                continue
            changes.append(DropCollation(current, removes=frozenset({current.key})))
    return changes, refusals


__all__ = ["CreateCollation", "DropCollation", "SetCollationComment", "collation_key", "compare_collations"]
