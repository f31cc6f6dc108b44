"""Comparing SQL-standard function bodies (``RETURN expr`` / ``BEGIN ATOMIC … END``).

PostgreSQL stores such a body parsed and prints it back deparsed (``RETURN a + b`` comes back as
``RETURN (a + b)``), so a declared body is compared statement by statement through the expression
normalizer, as defaults and CHECKs are. A body in quotes (``AS $$ … $$``) is never normalized:
PostgreSQL keeps it verbatim, and so does the comparison.
"""

from __future__ import annotations

import re

from pgreconcile.normalize.expressions import equivalent
from pgreconcile.normalize.lexical import fold_case_and_space

_RETURN = re.compile(r"^\s*RETURN\s+(?P<expr>.*?)\s*;?\s*$", re.IGNORECASE | re.DOTALL)
_ATOMIC = re.compile(r"^\s*BEGIN\s+ATOMIC\b(?P<inner>.*?)\bEND\s*;?\s*$", re.IGNORECASE | re.DOTALL)


def _statements(text: str) -> list[str]:
    """``text`` split at semicolons outside quotes and parentheses, empty parts left out."""
    parts: list[str] = []
    depth, quote, start = 0, None, 0
    for i, char in enumerate(text):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def canonical_statement(sql: str) -> str:
    """One statement in the normalizer's canonical form (folded text when it does not parse)."""
    try:
        import sqlglot

        from pgreconcile.normalize.render import render
        from pgreconcile.normalize.rules import canonical_tree

        return render(canonical_tree(sqlglot.parse_one(sql, read="postgres")))
    except Exception:  # any failure degrades to text comparison, which is only stricter
        return fold_case_and_space(sql)


def same_sql_body(a: str, b: str) -> bool:
    """Whether two SQL-standard bodies mean the same (exact text always does)."""
    if a == b:
        return True
    ra, rb = _RETURN.match(a), _RETURN.match(b)
    if ra is not None and rb is not None:
        return equivalent(ra["expr"], rb["expr"])
    aa, ab = _ATOMIC.match(a), _ATOMIC.match(b)
    if aa is None or ab is None:
        return False
    sa, sb = _statements(aa["inner"]), _statements(ab["inner"])
    return len(sa) == len(sb) and all(
        x == y or canonical_statement(x) == canonical_statement(y) for x, y in zip(sa, sb, strict=True)
    )
