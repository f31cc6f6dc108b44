"""SQL of casts (see :mod:`pgreconcile.diff.casts`)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.casts import CommentCast, CreateCast, DropCast
from pgreconcile.model.casts import Cast, CastContext
from pgreconcile.quoting import literal, qualified


def _types(cast: Cast) -> str:
    """``(public.mood AS text)``: the model's canonical type texts, as the catalog prints them."""
    return f"({cast.source} AS {cast.target})"


def definition(cast: Cast) -> str:
    """``CREATE CAST (…) WITH FUNCTION … | WITH INOUT | WITHOUT FUNCTION [AS …]``."""
    if cast.function is not None:
        how = f"WITH FUNCTION {qualified(*cast.function)}({', '.join(cast.function_args)})"
    else:
        how = "WITH INOUT" if cast.inout else "WITHOUT FUNCTION"
    context = {CastContext.EXPLICIT: "", CastContext.ASSIGNMENT: " AS ASSIGNMENT",
               CastContext.IMPLICIT: " AS IMPLICIT"}[cast.context]
    return f"CREATE CAST {_types(cast)} {how}{context}"


@statements.register
def _(change: CreateCast) -> list[str]:
    cast = change.cast
    out = [definition(cast)]
    if cast.comment is not None:
        out.append(f"COMMENT ON CAST {_types(cast)} IS {literal(cast.comment)}")
    return out


@statements.register
def _(change: DropCast) -> list[str]:
    return [f"DROP CAST {_types(change.cast)}"]


@statements.register
def _(change: CommentCast) -> list[str]:
    return [f"COMMENT ON CAST {_types(change.cast)} IS {literal(change.cast.comment)}"]
