"""Typed changes for table inheritance: ``ALTER TABLE child INHERIT parent`` and ``NO INHERIT``.

A child created with its parents gets ``INHERITS (…)`` in its CREATE TABLE (diff.changes.
CreateTable); these two change the parents of a table that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import TableChange


def link_key(child: tuple[str, str], parent: tuple[str, str]) -> str:
    """The ordering key of one child → parent link (``inherits:public.child>public.parent``)."""
    return f"inherits:{child[0]}.{child[1]}>{parent[0]}.{parent[1]}"


@dataclass(frozen=True)
class InheritTable(TableChange):
    """``ALTER TABLE child INHERIT parent``: PostgreSQL checks that the child already has every
    column of the parent (same type, NOT NULL where the parent's is) and every inheritable CHECK
    (same name and expression); the plan adds those first."""

    parent: tuple[str, str]

    ACTION = Action.UPDATE
    KIND = "inheritance"
    # After the columns and constraints it needs, before what reads through the link.
    ORDER_RANK = 25

    @property
    def key(self) -> str:
        return link_key((self.schema, self.table_name), self.parent)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        # The parent's rows now include the child's: queries on the parent see more rows.
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class NoInheritTable(TableChange):
    """``ALTER TABLE child NO INHERIT parent``: the child keeps the columns and CHECKs it had
    from the parent, as its own; those it does not declare are dropped after this step."""

    parent: tuple[str, str]

    ACTION = Action.UPDATE
    KIND = "inheritance"
    ORDER_RANK = 11

    @property
    def key(self) -> str:
        return link_key((self.schema, self.table_name), self.parent)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
