"""Compare operators.

A selectivity estimator (``RESTRICT``, ``JOIN``) is set in place (``ALTER OPERATOR … SET``), as
are a comment and a declared owner. A different function, commutator, negator, ``HASHES`` or
``MERGES`` re-creates the operator (PostgreSQL 17 sets a missing commutator, negator or flag
once but never changes one; re-creating is the same on every major). An operator that views,
indexes or constraints use cannot be dropped: re-creating or dropping one of those refuses the
plan, naming them.

Ordering: an operator needs its schema, its function (a declared one is created first, and a
live operator goes before the function or types it uses are dropped) and the user types of its
operands. Its commutator and negator need nothing: naming one that does not exist yet makes a
shell that the later ``CREATE OPERATOR`` fills in (model/operators.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change
from pgreconcile.diff.deps import type_needs
from pgreconcile.model import Schema
from pgreconcile.model.keys import function_key, schema_key
from pgreconcile.model.operators import Operator
from pgreconcile.model.privileges import owner_differs


@dataclass(frozen=True)
class CreateOperator(Change):
    operator: Operator

    ACTION = Action.CREATE
    KIND = "operator"
    ORDER_RANK = 19  # with the functions (after the one it calls): before tables, indexes, views

    @property
    def key(self) -> str:
        return self.operator.key


@dataclass(frozen=True)
class DropOperator(Change):
    operator: Operator

    ACTION = Action.DESTROY
    KIND = "operator"
    ORDER_RANK = 18  # after the views, indexes and constraints that used it; before its function

    @property
    def key(self) -> str:
        return self.operator.key


@dataclass(frozen=True)
class AlterOperator(Change):
    """Estimators, comment and owner of an operator that stays."""

    operator: Operator
    old: Operator

    ACTION = Action.UPDATE
    KIND = "operator"
    ORDER_RANK = 19

    @property
    def key(self) -> str:
        return self.operator.key


def _needs(op: Operator) -> frozenset[str]:
    """Its schema, its function when not pg_catalog's, and its operands' user types."""
    needs = {schema_key(op.schema)}
    if op.function[0] != "pg_catalog":
        needs.add(function_key(*op.function, op.arg_types))
    for type_text in op.arg_types:
        needs |= type_needs(type_text)
    return frozenset(needs)


def _users(op: Operator) -> str:
    """``view app.v uses`` / ``view app.v, index app.i use``."""
    return f"{', '.join(op.users)} {'uses' if len(op.users) == 1 else 'use'}"


def compare_operators(desired: Schema, live: Schema) -> tuple[list[Change], list[str]]:
    """The operator changes, and refusals for operators in use that would be dropped."""
    changes: list[Change] = []
    refusals: list[str] = []
    for key, wanted in desired.operators.items():
        current = live.operators.get(key)
        needs = _needs(wanted)
        creates = frozenset({wanted.key})
        if current is None:
            changes.append(CreateOperator(wanted, needs=needs, creates=creates))
            continue
        cause = wanted.recreated_for(current)
        if cause is not None:
            if current.users:
                refusals.append(f"operator {current.signature} must be re-created ({cause}), but "
                                f"{_users(current)} it; drop or change them first")
                continue
            why = f"re-created: {cause}"
            changes.append(DropOperator(current, removes=creates, replaces=True, reason=why,
                                        live_needs=_needs(current)))
            changes.append(CreateOperator(wanted, needs=needs, creates=creates, replaces=True, reason=why))
        elif (wanted.restrict != current.restrict or wanted.join != current.join
              or wanted.comment != current.comment or owner_differs(wanted.owner, current.owner)):
            changes.append(AlterOperator(wanted, current, needs=needs | creates))
    for key, current in live.operators.items():
        if key[0] not in desired.managed or key in desired.operators:
            continue
        if current.users:
            refusals.append(f"operator {current.signature} is not declared and would be dropped, but "
                            f"{_users(current)} it; declare the operator")
            continue
        changes.append(DropOperator(current, removes=frozenset({current.key}), live_needs=_needs(current)))
    return changes, refusals


__all__ = ["AlterOperator", "CreateOperator", "DropOperator", "compare_operators"]
