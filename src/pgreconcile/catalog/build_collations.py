"""Rows of ``queries/collations.sql`` → collations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.collations import Collation

_PROVIDERS = {"c": "libc", "i": "icu", "b": "builtin"}


def collations(rows: Iterable[Sequence[Any]]) -> dict[tuple[str, str], Collation]:
    """By (schema, name). A libc collation keeps its two locale parts, the others their locale
    (see model/collations.py)."""
    found: dict[tuple[str, str], Collation] = {}
    for schema, name, provider, locale, collate, ctype, deterministic, rules, comment in rows:
        kind = _PROVIDERS.get(provider, provider)
        if kind == "libc":
            made = Collation(schema, name, kind, None, collate, ctype, deterministic, None, comment)
        else:
            made = Collation(schema, name, kind, locale, None, None, deterministic, rules or None, comment)
        found[(schema, name)] = made
    return found
