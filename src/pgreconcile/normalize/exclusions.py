"""Elements of exclusion constraints: ``<column or (expression)> [opclass] WITH <operator>``."""

from __future__ import annotations

import re

from pgreconcile.normalize.expressions import canonical_index_element

_WITH = re.compile(r"^(.*\S)\s+WITH\s+(\S+)\s*$", re.IGNORECASE | re.DOTALL)


def split_exclusion_element(element: str) -> tuple[str, str] | None:
    """``(index element, operator)`` of ``"during WITH &&"``, or None without ``WITH op``."""
    match = _WITH.match(element.strip())
    return (match.group(1), match.group(2)) if match else None


def canonical_exclusion_element(element: str) -> str:
    """One spelling for equal elements (the index element canonicalised, the operator bare)."""
    parts = split_exclusion_element(element)
    if parts is None:
        return element.strip()
    return f"{canonical_index_element(parts[0])} WITH {parts[1]}"
