"""Rows of ``queries/operators.sql`` → operators."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.operators import Name, Operator, OperatorId


def _name(schema: str | None, name: str | None) -> Name | None:
    return None if schema is None or name is None else (schema, name)


def _user(described: str) -> str:
    # A view's query is its rewrite rule: "rule _RETURN on view app.v" is the view.
    return described.removeprefix("rule _RETURN on ")


def operators(rows: Iterable[Sequence[Any]]) -> dict[OperatorId, Operator]:
    """Every operator by (schema, symbol, left, right)."""
    found: dict[OperatorId, Operator] = {}
    for (schema, name, left, right, f_schema, f_name, c_schema, c_name, n_schema, n_name,
         r_schema, r_name, j_schema, j_name, hashes, merges, comment, owner, users) in rows:
        found[(schema, name, left, right)] = Operator(
            schema, name, left, right, (f_schema, f_name),
            commutator=_name(c_schema, c_name), negator=_name(n_schema, n_name),
            restrict=_name(r_schema, r_name), join=_name(j_schema, j_name),
            hashes=hashes, merges=merges, comment=comment, owner=owner,
            users=tuple(_user(u) for u in users or ()),
        )
    return found
