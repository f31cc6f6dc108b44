"""What a column change costs: does it rewrite the table, can it fail on existing rows?

These answers become hazards on plan steps. When unsure, the answer is the expensive one: a
plan that warns about a rewrite that does not happen is merely cautious; one that hides a
rewrite takes a production table offline.
"""

from __future__ import annotations

import re

from pgreconcile.normalize.lexical import called_functions
from pgreconcile.normalize.types import base_of

# Conversions PostgreSQL performs without touching the rows (binary-coercible types, or a limit
# that only grows). Checked pairs of base types; modifiers are examined in _free_modifiers.
_BINARY_COERCIBLE = {
    ("character varying", "text"),
    ("text", "character varying"),
    ("character varying", "character varying"),
    ("numeric", "numeric"),
    ("cidr", "inet"),
    ("bit varying", "bit varying"),
    ("timestamp with time zone", "timestamp with time zone"),
    ("timestamp without time zone", "timestamp without time zone"),
}

# Conversions that rewrite every row but cannot fail, because every old value has an exact
# image in the new type.
_DATE_TIMES_TEXT = frozenset({"timestamp without time zone", "timestamp with time zone"})

_WIDENING = {
    ("smallint", "integer"),
    ("smallint", "bigint"),
    ("integer", "bigint"),
    ("smallint", "numeric"),
    ("integer", "numeric"),
    ("bigint", "numeric"),
    ("real", "double precision"),
    ("character", "text"),
    ("character", "character varying"),
    ("uuid", "text"),
    ("json", "jsonb"),
    ("date", "timestamp without time zone"),
    ("date", "timestamp with time zone"),
    ("timestamp without time zone", "timestamp with time zone"),
    ("timestamp with time zone", "timestamp without time zone"),
}

# Functions whose value differs per row: a column added with such a default must be filled row
# by row (PostgreSQL's fast default only covers non-volatile expressions).
VOLATILE_FUNCTIONS = frozenset(
    """gen_random_uuid uuid_generate_v1 uuid_generate_v1mc uuid_generate_v4 random clock_timestamp
    timeofday nextval gen_random_bytes setseed txid_current""".split()
)


def _modifiers(type_text: str) -> list[int]:
    match = re.search(r"\(([\d, ]+)\)", type_text.removesuffix("[]"))
    return [int(m) for m in match.group(1).split(",")] if match else []


def _free_modifiers(base: str, old: str, new: str) -> bool:
    """Whether changing only the modifiers of ``base`` keeps every stored value as it is."""
    old_mods, new_mods = _modifiers(old), _modifiers(new)
    if not new_mods:
        return True  # dropping a limit never rewrites
    if not old_mods:
        return False  # adding a limit must check (and may reject) every value
    if base == "numeric":
        # numeric(p,s) → numeric(p2,s): free when the scale is kept and the precision grows.
        return len(old_mods) == len(new_mods) == 2 and old_mods[1] == new_mods[1] and new_mods[0] >= old_mods[0]
    return new_mods[0] >= old_mods[0]


def rewrites(old: str, new: str) -> bool:
    """Whether ``ALTER COLUMN … TYPE`` from ``old`` to ``new`` rewrites every row."""
    if old.endswith("[]") or new.endswith("[]"):
        return True  # array conversions go element by element: assume a rewrite
    pair = (base_of(old), base_of(new))
    if pair not in _BINARY_COERCIBLE:
        return True
    if pair[0] == pair[1] or pair == ("text", "character varying"):
        return not _free_modifiers(pair[0], old, new)
    return False


def assignment_pair(before: str, after: str) -> bool:
    """Whether PostgreSQL has an implicit or assignment cast between two base types of the
    lists above (every pair there has one: checked against pg_cast)."""
    return (before, after) in _BINARY_COERCIBLE or (before, after) in _WIDENING


# Types whose text form is exact and always fits an unbounded string: converting them to text
# (PostgreSQL's I/O conversion, an assignment cast) cannot fail, and the text reads back as the
# same value. (Floats print their shortest exact form since PostgreSQL 12.)
_EXACT_TEXT = frozenset({
    "smallint", "integer", "bigint", "numeric", "real", "double precision", "boolean", "uuid", "date",
    "time without time zone", "time with time zone", "interval", "inet", "cidr", "macaddr",
    "json", "jsonb", "xml", "bytea", "money", "oid",
}) | _DATE_TIMES_TEXT


def exact_as_text(old: str, new: str) -> bool:
    """Whether ``old`` → ``new`` is a built-in value written into an unbounded string type."""
    if old.endswith("[]") or new.endswith("[]"):
        return False
    return base_of(old) in _EXACT_TEXT and new in ("text", "character varying")


def may_fail(old: str, new: str) -> bool:
    """Whether converting existing values from ``old`` to ``new`` can raise an error."""
    if not rewrites(old, new):
        return False
    if old.endswith("[]") != new.endswith("[]"):
        return True
    pair = (base_of(old), base_of(new))
    if pair in _WIDENING or exact_as_text(old, new):
        return False
    if pair in _BINARY_COERCIBLE:
        # Same family with a new limit: fails only when the limit shrinks.
        return not _free_modifiers(pair[0], old, new)
    return True


_INTEGERS = frozenset({"smallint", "integer", "bigint"})
_FRACTIONAL = frozenset({"numeric", "real", "double precision"})
_DATE_TIMES = frozenset({"timestamp without time zone", "timestamp with time zone"})
_PRECISION_TYPES = frozenset({"timestamp", "time", "interval"})


def _precision(type_text: str) -> int | None:
    match = re.search(r"\((\d+)\)", type_text)
    return int(match.group(1)) if match else None


def lossy(old: str, new: str) -> bool:
    """Whether a conversion can succeed while changing stored values: rounding fractions to
    integers or to fewer decimals, dropping the time of day, or cutting fractional seconds.
    Such a change destroys data as surely as a dropped column, so it is gated the same way."""
    if old.endswith("[]") != new.endswith("[]"):
        return False
    before, after = base_of(old), base_of(new)
    if before in _FRACTIONAL and after in _INTEGERS:
        return True
    if (before, after) == ("double precision", "real"):
        return True
    if before == after == "numeric":
        old_mods, new_mods = _modifiers(old), _modifiers(new)
        old_scale = old_mods[1] if len(old_mods) == 2 else None
        new_scale = new_mods[1] if len(new_mods) == 2 else None
        return new_scale is not None and (old_scale is None or new_scale < old_scale)
    if before in _DATE_TIMES and after == "date":
        return True
    if before.split(" ")[0] in _PRECISION_TYPES and after.split(" ")[0] == before.split(" ")[0]:
        old_p, new_p = _precision(old), _precision(new)
        return new_p is not None and (old_p is None or new_p < old_p)
    return False


def volatile(expression: str | None) -> bool:
    """Whether an expression calls a function whose value differs from row to row."""
    if not expression:
        return False
    return any(name in VOLATILE_FUNCTIONS for name in called_functions(expression))
