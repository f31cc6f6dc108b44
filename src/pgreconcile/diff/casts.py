"""Compare casts.

PostgreSQL has no ``ALTER CAST``: a cast whose method, function or context differs is dropped and
created again (nothing depends on a cast itself: an expression that used it recorded its
function, which stays). A comment is set in place. A live cast that counts in a managed schema
(model/casts.py) and is not declared is dropped; so is one that belongs to the database (no
schema) when the declarations manage casts.

Ordering: a cast needs its source and target types and its function (a declared one is created
first; a live cast goes before the function or types it uses are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change
from pgreconcile.diff.deps import type_needs
from pgreconcile.model import Schema
from pgreconcile.model.casts import Cast
from pgreconcile.model.keys import function_key


@dataclass(frozen=True)
class CreateCast(Change):
    cast: Cast

    ACTION = Action.CREATE
    KIND = "cast"
    ORDER_RANK = 19  # with the functions and operators: after what it uses, before tables and views

    @property
    def key(self) -> str:
        return self.cast.key


@dataclass(frozen=True)
class DropCast(Change):
    cast: Cast

    ACTION = Action.DESTROY
    KIND = "cast"
    ORDER_RANK = 18  # before its function and types go

    @property
    def key(self) -> str:
        return self.cast.key


@dataclass(frozen=True)
class CommentCast(Change):
    """The comment of a cast that stays."""

    cast: Cast
    old: Cast

    ACTION = Action.UPDATE
    KIND = "cast"
    ORDER_RANK = 19

    @property
    def key(self) -> str:
        return self.cast.key


def _needs(cast: Cast) -> frozenset[str]:
    """Its user types, and its function when not pg_catalog's."""
    needs = type_needs(cast.source) | type_needs(cast.target)
    if cast.function is not None and cast.function[0] != "pg_catalog":
        needs.add(function_key(*cast.function, cast.function_args))
    return frozenset(needs)


def _recreated_for(wanted: Cast, current: Cast) -> str | None:
    changed = [label for label, differs in (
        ("method", (wanted.function is None, wanted.inout) != (current.function is None, current.inout)),
        ("function", wanted.function is not None and current.function is not None
         and (wanted.function, wanted.function_args) != (current.function, current.function_args)),
        ("context", wanted.context != current.context),
    ) if differs]
    if not changed:
        return None
    return f"re-created: its {' and '.join(changed)} changed"


def compare_casts(desired: Schema, live: Schema) -> list[Change]:
    """The cast changes."""
    changes: list[Change] = []
    for ident, wanted in desired.casts.items():
        current = live.casts.get(ident)
        creates = frozenset({wanted.key})
        if current is None:
            changes.append(CreateCast(wanted, needs=_needs(wanted), creates=creates))
            continue
        why = _recreated_for(wanted, current)
        if why is not None:
            changes.append(DropCast(current, removes=creates, replaces=True, reason=why, live_needs=_needs(current)))
            changes.append(CreateCast(wanted, needs=_needs(wanted), creates=creates, replaces=True, reason=why))
        elif wanted.comment != current.comment:
            changes.append(CommentCast(wanted, current, needs=_needs(wanted) | creates))
    for ident, current in live.casts.items():
        managed = current.schema in desired.managed if current.schema is not None else desired.casts_managed
        if managed and ident not in desired.casts:
            changes.append(DropCast(current, removes=frozenset({current.key}), live_needs=_needs(current)))
    return changes


__all__ = ["CommentCast", "CreateCast", "DropCast", "compare_casts"]
