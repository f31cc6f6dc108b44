"""Typed changes for views and materialized views.

A view holds no data, so dropping one never needs ``--allow-destroy``; it takes an ACCESS
EXCLUSIVE lock on the view, which blocks its readers for the rest of the transaction. A
materialized view is always created populated: creating it runs its query. Re-created (its
data derived again), its readers wait for that query under the lock of its drop, so the
re-creation carries the ACCESS EXCLUSIVE hazard and its reason says it is refreshed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import Change, CreateIndex, DropIndex
from pgreconcile.model.keys import matview_key, view_key
from pgreconcile.model.views import MaterializedView, View

AnyView = View | MaterializedView


def relation_key(view: AnyView) -> str:
    """``view:s.n`` or ``materialized view:s.n``."""
    if isinstance(view, MaterializedView):
        return matview_key(view.schema, view.name)
    return view_key(view.schema, view.name)


def relation_kind(view: AnyView) -> str:
    return "materialized view" if isinstance(view, MaterializedView) else "view"


@dataclass(frozen=True)
class ViewChange(Change):
    """A change to one view or materialized view (``view`` is its new form, or the live one for
    a drop)."""

    view: AnyView
    # Send the query as the user wrote it (resolved in the view's schema) rather than in the
    # server's canonical form: the objects it reads change in this plan, and the canonical form
    # was printed against the catalog as it was (a ``*`` expanded, casts for old column types).
    as_written: bool = field(default=False, kw_only=True)

    ACTION = Action.UPDATE
    KIND = "view"

    @property
    def kind(self) -> str:
        return relation_kind(self.view)

    @property
    def key(self) -> str:
        return relation_key(self.view)


@dataclass(frozen=True)
class CreateView(ViewChange):
    """CREATE [MATERIALIZED] VIEW, its comments, and nothing else (indexes are separate)."""

    ACTION = Action.CREATE

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if isinstance(self.view, MaterializedView) and self.replaces:
            return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
        return ()


@dataclass(frozen=True)
class DropView(ViewChange):
    ACTION = Action.DESTROY

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class AlterView(ViewChange):
    """What changes in place: a view's query by CREATE OR REPLACE VIEW (same columns, or new
    ones appended), options by ALTER … SET / RESET, comments by COMMENT ON."""

    old: AnyView

    ACTION = Action.UPDATE

    @property
    def query_changed(self) -> bool:
        return self.old.query != self.view.query

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        if self.query_changed or _options(self.old) != _options(self.view):
            return (Hazard.ACCESS_EXCLUSIVE_LOCK,)
        return ()


def _options(view: AnyView) -> tuple[object, ...]:
    if isinstance(view, MaterializedView):
        return view.storage
    return (view.security_invoker, view.security_barrier, view.check_option)


@dataclass(frozen=True)
class RenameView(ViewChange):
    """ALTER [MATERIALIZED] VIEW … SET SCHEMA / RENAME TO, from a declared ``renamed_from``."""

    old_schema: str
    old_name: str

    ACTION = Action.RENAME


@dataclass(frozen=True)
class CreateViewIndex(CreateIndex):
    """An index of a materialized view: CREATE INDEX on it. Shown on its own line (not under a
    table)."""

    @property
    def table(self) -> str | None:
        return None


@dataclass(frozen=True)
class DropViewIndex(DropIndex):
    @property
    def table(self) -> str | None:
        return None
