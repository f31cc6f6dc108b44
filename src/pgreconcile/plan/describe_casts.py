"""Labels of cast changes."""

from __future__ import annotations

from pgreconcile.diff.casts import CommentCast, CreateCast, DropCast
from pgreconcile.model.casts import Cast, CastContext
from pgreconcile.plan.describe import describe
from pgreconcile.quoting import literal

Label = tuple[str, tuple[str, ...]]


def _cast(cast: Cast) -> str:
    context = "" if cast.context is CastContext.EXPLICIT else f", as {cast.context}"
    return f"cast {cast.label} ({cast.method}{context})"


@describe.register
def _(c: CreateCast) -> Label:
    return _cast(c.cast), ()


@describe.register
def _(c: DropCast) -> Label:
    return _cast(c.cast), ()


@describe.register
def _(c: CommentCast) -> Label:
    old, new = c.old.comment, c.cast.comment
    return (f"cast {c.cast.label} comment {'none' if old is None else literal(old)} → "
            f"{'none' if new is None else literal(new)}"), ()
