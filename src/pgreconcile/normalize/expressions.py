"""Canonical form of SQL expressions (placeholder; being replaced by the full normalizer)."""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError


@lru_cache(maxsize=65536)
def canonical(sql: str) -> str:
    """A canonical text for ``sql`` such that equivalent spellings compare equal."""
    try:
        tree = sqlglot.parse_one(sql, read="postgres")
    except ParseError:
        return " ".join(sql.split())
    return tree.sql(dialect="postgres")


def equivalent(a: str | None, b: str | None) -> bool:
    """Whether two expressions (or two absent expressions) mean the same."""
    if a is None or b is None:
        return a is b
    return a == b or canonical(a) == canonical(b)


def parse_error(sql: str) -> str | None:
    """None when ``sql`` is a valid expression, else a short message saying what is wrong."""
    try:
        sqlglot.parse_one(sql, read="postgres")
    except ParseError as err:
        return str(err).splitlines()[0]
    return None


def column_refs(sql: str) -> frozenset[str]:
    """Names of the columns an expression reads (unqualified)."""
    try:
        tree = sqlglot.parse_one(sql, read="postgres")
    except ParseError:
        return frozenset()
    return frozenset(c.name for c in tree.find_all(exp.Column))
