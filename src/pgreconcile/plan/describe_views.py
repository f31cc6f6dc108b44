"""[views] Labels of the view changes: views and materialized views, their options, comments,
column settings, renames and indexes. Registered on import, like the other ``describe_*``
modules (plan/build.py imports them all)."""

from __future__ import annotations

from pgreconcile.diff.view_changes import (
    AlterView,
    AnyView,
    CreateView,
    CreateViewIndex,
    DropView,
    DropViewIndex,
    RenameView,
    relation_kind,
)
from pgreconcile.model import MaterializedView
from pgreconcile.plan.describe import comment_text, describe, index_summary


def _view_options(view: AnyView) -> str:
    if isinstance(view, MaterializedView):
        return ", ".join(f"{n}={v}" for n, v in view.storage)
    flags = [name if getattr(view, name) else f"{name}=false"
             for name in ("security_invoker", "security_barrier") if getattr(view, name) is not None]
    if view.check_option is not None:
        flags.append(f"{view.check_option.value} check option")
    return ", ".join(flags)


def _view_label(view: AnyView) -> str:
    options = _view_options(view)
    return f"{relation_kind(view)} {view.qualified}" + (f" ({options})" if options else "")


@describe.register
def _(c: CreateView) -> tuple[str, tuple[str, ...]]:
    return _view_label(c.view), ()


@describe.register
def _(c: DropView) -> tuple[str, tuple[str, ...]]:
    return _view_label(c.view), ()


@describe.register
def _(c: AlterView) -> tuple[str, tuple[str, ...]]:
    view, old = c.view, c.old
    parts: list[str] = []
    if c.query_changed:
        parts.append("query (new columns appended)" if old.columns != view.columns else "query")
    if _view_options(old) != _view_options(view):
        parts.append(f"options ({_view_options(old) or 'none'}) → ({_view_options(view) or 'none'})")
    if old.comment != view.comment:
        parts.append(f"comment {comment_text(old.comment)} → {comment_text(view.comment)}")
    before, after = dict(old.column_comments), dict(view.column_comments)
    for column in sorted(set(before) | set(after)):
        if before.get(column) != after.get(column):
            was, now = comment_text(before.get(column)), comment_text(after.get(column))
            parts.append(f"column {column} comment {was} → {now}")
    parts += _column_settings(old, view)
    return f"{relation_kind(view)} {view.qualified} " + ", ".join(parts), ()


def _column_settings(old: AnyView, view: AnyView) -> list[str]:
    """A materialized view's columns' storage and statistics target changes."""
    if not isinstance(old, MaterializedView) or not isinstance(view, MaterializedView):
        return []
    before = {s.column: s for s in old.column_settings}
    after = {s.column: s for s in view.column_settings}
    parts = []
    for column in sorted(set(before) | set(after)):
        had, wanted = before.get(column), after.get(column)
        for name in ("storage", "statistics"):
            a, b = getattr(had, name, None), getattr(wanted, name, None)
            if a != b:
                parts.append(f"column {column} {name} {a if a is not None else 'default'} → "
                             f"{b if b is not None else 'default'}")
    return parts


@describe.register
def _(c: RenameView) -> tuple[str, tuple[str, ...]]:
    return f"{relation_kind(c.view)} {c.old_schema}.{c.old_name} → {c.view.qualified}", ()


@describe.register
def _(c: CreateViewIndex) -> tuple[str, tuple[str, ...]]:
    return f"{index_summary(c.index)} on {c.schema}.{c.table_name}", ()


@describe.register
def _(c: DropViewIndex) -> tuple[str, tuple[str, ...]]:
    return f"{index_summary(c.index)} on {c.schema}.{c.table_name}", ()
