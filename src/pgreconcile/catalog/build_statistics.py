"""Rows of ``queries/statistics.sql`` → extended statistics objects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.statistics import STATISTICS_KINDS, Statistics

# pg_statistic_ext.stxkind letters of the kinds one asks for ('e', expression statistics, comes
# with every expression and is not asked for).
_KINDS = {"d": "ndistinct", "f": "dependencies", "m": "mcv"}


def statistics(rows: Iterable[Sequence[Any]]) -> dict[tuple[str, str], Statistics]:
    """By (schema, name)."""
    found: dict[tuple[str, str], Statistics] = {}
    for schema, name, table, columns, expressions, kinds, target, comment in rows:
        asked = {_KINDS[k] for k in kinds if k in _KINDS}
        found[(schema, name)] = Statistics(
            schema, name, table, tuple(columns), tuple(expressions or ()),
            tuple(k for k in STATISTICS_KINDS if k in asked), int(target), comment,
        )
    return found
