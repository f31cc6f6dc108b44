"""Canonical forms of partition keys and partition bounds, for comparison only.

The catalog prints a bound with its values as the key's type prints them
(``FOR VALUES FROM ('2026-10-01 00:00:00+00') TO (…)`` for a timestamptz key read in UTC), and
a key as ``RANGE (n, ((m + 1)))``; declarations write ``from: 2026-10-01`` and ``range (n, (m+1))``.
Each function brings both spellings to one form; text it cannot read is compared folded (case
and blanks), which can only show a spurious difference, never hide a real one.
"""

from __future__ import annotations

import re

from pgreconcile.normalize.expressions import canonical_index_element
from pgreconcile.normalize.lexical import fold_case_and_space
from pgreconcile.normalize.literals import canonical_datetime, canonical_number, number_like_string

STRATEGIES = ("range", "list", "hash")
_KEYWORDS = frozenset({"MINVALUE", "MAXVALUE", "NULL", "TRUE", "FALSE"})
_KEY = re.compile(r"^\s*(\w+)\s*\((.*)\)\s*$", re.DOTALL)
_RANGE = re.compile(r"^\s*FOR\s+VALUES\s+FROM\s*\((.*)\)\s*TO\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_LIST = re.compile(r"^\s*FOR\s+VALUES\s+IN\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_HASH = re.compile(
    r"^\s*FOR\s+VALUES\s+WITH\s*\(\s*modulus\s+(\d+)\s*,\s*remainder\s+(\d+)\s*\)\s*$", re.IGNORECASE
)


def split_top_level(text: str) -> list[str] | None:
    """``text`` split at the commas outside quotes and brackets (None when they do not balance)."""
    parts: list[str] = []
    depth, start, quote = 0, 0, ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if depth or quote:
        return None
    parts.append(text[start:].strip())
    return parts


def key_strategy(key: str) -> str | None:
    """``range`` / ``list`` / ``hash`` of a partition key, or None when it is not one."""
    match = _KEY.match(key)
    strategy = match.group(1).lower() if match else None
    return strategy if strategy in STRATEGIES else None


def declared_key(key: str) -> str:
    """The catalog's ``RANGE (at)`` in the language's spelling, ``range (at)`` (the method word
    lower-cased, the rest as printed), so that a key read back equals the one inspect writes."""
    method, _, rest = key.strip().partition(" ")
    return f"{method.lower()} {rest}" if method.lower() in STRATEGIES else key


def key_elements(key: str) -> list[str] | None:
    """The columns and expressions of a partition key (``range (a, (b + 1))`` → ``a``, ``(b + 1)``)."""
    match = _KEY.match(key)
    return split_top_level(match.group(2)) if match else None


def canonical_key(key: str) -> str:
    """One spelling of a partition key: ``RANGE (at)`` = ``range(at)``."""
    strategy, elements = key_strategy(key), key_elements(key)
    if strategy is None or not elements:
        return fold_case_and_space(key)
    return f"{strategy} ({', '.join(canonical_index_element(_unwrap(e)) for e in elements)})"


def _unwrap(element: str) -> str:
    # The catalog doubles the parentheses of an expression key (``((m + 1))``); one pair is enough.
    while element.startswith("((") and element.endswith("))"):
        inner = element[1:-1]
        if split_top_level(inner[1:-1]) is None:
            break
        element = inner
    return element


def same_key(a: str | None, b: str | None) -> bool:
    """Whether two partition keys (or two absent ones) are the same."""
    if a is None or b is None:
        return a is b
    return a == b or canonical_key(a) == canonical_key(b)


def _value(text: str) -> str:
    """One bound value in a canonical form: numbers as numbers (quoted or not), dates and
    timestamps at midnight UTC as the date, strings as their content, keywords upper-cased."""
    text = text.strip()
    if text.startswith("'"):
        end = text.find("'", 1)
        while end != -1 and text[end + 1 : end + 2] == "'":
            end = text.find("'", end + 2)
        if end == -1:
            return fold_case_and_space(text)
        content = text[1:end].replace("''", "'")
        number = number_like_string(content)
        if number is not None:
            return f"n:{number}"
        return f"s:{canonical_datetime(content) or content}"
    bare = text.split("::", 1)[0].strip()
    if bare.upper() in _KEYWORDS:
        return f"k:{bare.upper()}"
    number = canonical_number(bare)
    return f"n:{number}" if number is not None else f"x:{fold_case_and_space(bare)}"


def _values(text: str) -> tuple[str, ...] | None:
    parts = split_top_level(text)
    return None if parts is None else tuple(_value(p) for p in parts)


def canonical_bound(bound: str) -> tuple[object, ...]:
    """A partition bound as comparable data: ``("range", from, to)``, ``("list", values)``
    (sorted: the order of an IN list means nothing), ``("hash", modulus, remainder)`` or
    ``("default",)``; text it cannot read as ``("text", folded)``."""
    if bound.strip().upper() == "DEFAULT":
        return ("default",)
    if match := _RANGE.match(bound):
        low, high = _values(match.group(1)), _values(match.group(2))
        if low is not None and high is not None:
            return ("range", low, high)
    elif match := _LIST.match(bound):
        values = _values(match.group(1))
        if values is not None:
            return ("list", tuple(sorted(set(values))))
    elif match := _HASH.match(bound):
        return ("hash", int(match.group(1)), int(match.group(2)))
    return ("text", fold_case_and_space(bound))


def same_bound(a: str, b: str) -> bool:
    """Whether two partition bounds select the same rows."""
    return a == b or canonical_bound(a) == canonical_bound(b)


def bound_strategy(bound: str) -> str | None:
    """Which key strategy a bound is written for (``default`` fits any but hash)."""
    kind = str(canonical_bound(bound)[0])
    return kind if kind != "text" else None


_UTC_TIMESTAMP = re.compile(r"'(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?\+00)'")


def readable_bound(bound: str) -> str:
    """A bound as a reviewer reads it: timestamps printed in UTC shortened the way
    :func:`canonical_bound` compares them (``'2026-10-01 00:00:00+00'`` → ``'2026-10-01'``)."""
    return _UTC_TIMESTAMP.sub(lambda m: f"'{canonical_datetime(m.group(1)) or m.group(1)}'", bound)
