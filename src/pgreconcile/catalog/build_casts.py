"""Rows of ``queries/casts.sql`` → casts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.casts import Cast, CastContext, CastId

_CONTEXTS = {"e": CastContext.EXPLICIT, "a": CastContext.ASSIGNMENT, "i": CastContext.IMPLICIT}


def casts(rows: Iterable[Sequence[Any]]) -> dict[CastId, Cast]:
    """Every cast by (source, target)."""
    found: dict[CastId, Cast] = {}
    for schema, source, target, f_schema, f_name, f_args, method, context, comment in rows:
        function = (f_schema, f_name) if method == "f" and f_name is not None else None
        found[(source, target)] = Cast(
            source, target, function=function, function_args=tuple(f_args or ()) if function else (),
            inout=method == "i", context=_CONTEXTS[context], comment=comment, schema=schema,
        )
    return found
