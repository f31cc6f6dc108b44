"""Constraint comparison beyond names and columns — NOT VALID, NO INHERIT, NULLS NOT DISTINCT,
NOT ENFORCED (PostgreSQL 18; a change of it is the constraint dropped and added again),
exclusion constraints — and the one in-place constraint change: VALIDATE CONSTRAINT."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pgreconcile.diff.changes import Action, Constraint, Hazard, TableChange, constraint_key
from pgreconcile.model import CheckConstraint, ForeignKey
from pgreconcile.model.types import ExclusionConstraint
from pgreconcile.normalize.exclusions import canonical_exclusion_element
from pgreconcile.normalize.expressions import equivalent


@dataclass(frozen=True)
class ValidateConstraint(TableChange):
    """``ALTER TABLE … VALIDATE CONSTRAINT``: a NOT VALID check or foreign key declared
    ``validated: true`` reads every existing row once; writes go on meanwhile."""

    constraint: CheckConstraint | ForeignKey

    ACTION = Action.UPDATE
    KIND = "constraint"

    @property
    def key(self) -> str:
        return constraint_key(self.schema, self.table_name, self.constraint.name) + "#validate"

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.SCANS_TABLE, Hazard.MAY_FAIL_ON_DATA)


def _validated(con: Constraint) -> Constraint:
    return dataclasses.replace(con, validated=True) if isinstance(con, CheckConstraint | ForeignKey) else con


def same_constraint(wanted: Constraint, live: Constraint) -> bool:
    """Whether ``live`` already is ``wanted`` apart from validation (see :func:`to_validate`).

    A constraint declared ``validated: false`` is satisfied by a validated live one: nothing can
    un-check rows, and re-creating it to skip a check would only lose one."""
    if type(wanted) is not type(live):
        return False
    if isinstance(wanted, CheckConstraint) and isinstance(live, CheckConstraint):
        return (
            equivalent(wanted.expression, live.expression)
            and wanted.no_inherit == live.no_inherit
            and wanted.enforced == live.enforced
        )
    if isinstance(wanted, ExclusionConstraint) and isinstance(live, ExclusionConstraint):
        return (
            wanted.method == live.method
            and wanted.include == live.include
            and wanted.deferrable == live.deferrable
            and wanted.initially_deferred == live.initially_deferred
            and [canonical_exclusion_element(e) for e in wanted.elements]
            == [canonical_exclusion_element(e) for e in live.elements]
            and equivalent(wanted.where, live.where)
        )
    return _validated(wanted) == _validated(live)


def to_validate(wanted: Constraint, live: Constraint) -> bool:
    """Whether a live NOT VALID constraint is declared validated."""
    return (
        isinstance(wanted, CheckConstraint | ForeignKey)
        and isinstance(live, CheckConstraint | ForeignKey)
        and wanted.validated
        and not live.validated
    )
