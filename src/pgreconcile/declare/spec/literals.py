"""``default:`` values: a YAML value → the SQL text PostgreSQL prints for that default, and back.

Decision: a literal default is stored in :attr:`Column.default` as the exact text
``pg_get_expr()`` shows for it once the server has stored it — ``'user'::public.user_role``,
``'active'::text``, ``'x'::character varying``, ``0``, ``'-5'::integer``, ``1.5``, ``true``,
``'{"a": 1}'::jsonb``, ``'{a,b}'::text[]``. That text is valid DDL, and executing it makes the
server print the same text again, so a declared literal default and its live twin compare equal
even before expression normalization, and an apply followed by a plan shows no change.

The rules mirror the server's ``get_const_expr`` (``src/backend/utils/adt/ruleutils.c``):

* a number is parsed as SQL parses a numeric token: ``int4`` when it fits (printed bare, or
  ``'-n'::integer`` when negative), else ``int8`` (``'n'::bigint``), else ``numeric`` (bare when
  it has a point or exponent and no sign, else ``'n'::numeric``); the implicit cast to the
  column type is not printed;
* ``true`` / ``false`` are printed bare;
* everything else is a quoted literal with a cast to the column type *without* its modifiers
  (``character varying(20)`` → ``::character varying``, ``character(3)`` → ``::bpchar``,
  ``timestamp(3) with time zone`` → ``::timestamp with time zone``).

Known limit: values the server rewrites on input (``'2024-01-01'`` for a ``timestamptz``
becomes ``'2024-01-01 00:00:00+00'`` in the server's time zone) are stored as written here; the
expression normalizer or a ``default_sql`` written in the server's form must bridge that.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import uuid
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pgreconcile.normalize.types import base_of, is_array
from pgreconcile.quoting import literal

_NUMERIC_TYPES = frozenset({"smallint", "integer", "bigint", "numeric", "real", "double precision"})
_INT4 = (-(2**31), 2**31 - 1)
_INT8 = (-(2**63), 2**63 - 1)
_NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_BOOL_WORDS = {
    "true": True,
    "t": True,
    "yes": True,
    "y": True,
    "on": True,
    "1": True,
    "false": False,
    "f": False,
    "no": False,
    "n": False,
    "off": False,
    "0": False,
}


class LiteralError(ValueError):
    """A ``default:`` value that cannot be a constant of the column's type."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def cast_label(column_type: str) -> str:
    """The type name the server prints after ``::`` for a constant of ``column_type``."""
    element = column_type.removesuffix("[]")
    suffix = "[]" if is_array(column_type) else ""
    base = base_of(element)
    if base == "character":
        base = "bpchar"
    elif element.startswith(("timestamp(", "time(")):
        base = re.sub(r"\(\s*\d+\s*\)", "", element)
    elif element.startswith("interval "):
        base = "interval"
    return base + suffix


def default_sql(value: object, column_type: str, enum_labels: tuple[str, ...] | None = None) -> str:
    """The SQL text of a literal ``default:`` for a column of canonical type ``column_type``.

    ``enum_labels`` are the labels when the column's type is a declared enum (or an array of
    one); a value outside them is an error. Raises :class:`LiteralError` with a hint.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise LiteralError(f"default {value!r} is not a finite number", "use default_sql: for special values")
    if is_array(column_type):
        return _array_default(value, column_type, enum_labels)
    base = base_of(column_type)
    if base in _NUMERIC_TYPES:
        return _number_token(value, column_type)
    if base == "boolean":
        return _boolean(value)
    if isinstance(value, bool):
        raise LiteralError(
            f"default {str(value).lower()} is a boolean but the column is {column_type}",
            f"quote it if you mean the text: default: '{str(value).lower()}'",
        )
    if base in ("json", "jsonb"):
        return literal(_json_text(value, jsonb=base == "jsonb")) + "::" + cast_label(column_type)
    if isinstance(value, dict | list):
        raise LiteralError(
            f"default must be a single value for a {column_type} column, got a "
            f"{'mapping' if isinstance(value, dict) else 'list'}"
        )
    text = _scalar_text(value)
    if enum_labels is not None:
        _check_label(text, column_type, enum_labels)
    if base == "uuid":
        try:
            text = str(uuid.UUID(text))
        except ValueError:
            raise LiteralError(f"default {text!r} is not a valid uuid") from None
    return literal(text) + "::" + cast_label(column_type)


def _scalar_text(value: object) -> str:
    if isinstance(value, float):
        return _decimal_text(value)
    return str(value)


def _decimal_text(value: float) -> str:
    # repr() is the shortest text that reads back as the same float; plain notation is what a
    # numeric literal prints as (1e-05 → 0.00001).
    return format(Decimal(repr(value)), "f")


def _number_token(value: object, column_type: str) -> str:
    """How the server prints the constant it parsed from a numeric token (see module docstring)."""
    if isinstance(value, bool):
        raise LiteralError(f"default {str(value).lower()} is a boolean but the column is {column_type}")
    if isinstance(value, int):
        token = str(value)
    elif isinstance(value, float):
        token = _decimal_text(value)
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        token = value.strip().removeprefix("+")
    else:
        raise LiteralError(
            f"default {value!r} is not a number but the column is {column_type}",
            "write a number, or use default_sql: for an expression",
        )
    if re.fullmatch(r"-?\d+", token):
        number = int(token)
        if _INT4[0] <= number <= _INT4[1]:
            return str(number) if number >= 0 else f"'{number}'::integer"
        if _INT8[0] <= number <= _INT8[1]:
            return f"'{number}'::bigint"
        return f"'{number}'::numeric"
    try:
        text = format(Decimal(token), "f")
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise LiteralError(f"default {value!r} is not a number") from None
    if text[0].isdigit() and ("." in text):
        return text
    return f"'{text}'::numeric"


def _boolean(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
        return "true" if _BOOL_WORDS[value.strip().lower()] else "false"
    raise LiteralError(f"default {value!r} is not a boolean", "write true or false")


def _check_label(text: str, column_type: str, labels: tuple[str, ...]) -> None:
    if text in labels:
        return
    close = difflib.get_close_matches(text, labels, n=1, cutoff=0.5)
    lowered = [label for label in labels if label.lower() == text.lower()]
    guess = lowered[0] if lowered else (close[0] if close else None)
    raise LiteralError(
        f"default {text!r} is not a label of {column_type.removesuffix('[]')} "
        f"(labels: {', '.join(labels)})" + (f"; did you mean {guess!r}?" if guess else ""),
        "an enum default must be one of its declared values, spelled exactly",
    )


def _json_text(value: object, *, jsonb: bool) -> str:
    if isinstance(value, str):
        if not jsonb:
            return value  # json keeps its input text verbatim
        try:
            value = json.loads(value, parse_float=Decimal, parse_int=Decimal)
        except ValueError:
            raise LiteralError(f"default {value!r} is not valid JSON") from None
    return _jsonb_out(value) if jsonb else json.dumps(value, ensure_ascii=False)


def _jsonb_out(value: object) -> str:
    """jsonb's output format: keys ordered by length then bytes, ``", "`` and ``": "`` separators."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(str(k).encode()), str(k).encode()))
        return "{" + ", ".join(f"{_jsonb_out(str(k))}: {_jsonb_out(value[k])}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_jsonb_out(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise LiteralError("JSON numbers must be finite")
        return _decimal_text(value)
    if isinstance(value, int | Decimal):
        return format(Decimal(value), "f")
    return json.dumps(str(value), ensure_ascii=False)


def _array_default(value: object, column_type: str, labels: tuple[str, ...] | None) -> str:
    if isinstance(value, str):
        text = value  # already an array literal such as '{}' or '{a,b}'
    elif isinstance(value, list):
        text = _array_text(value, base_of(column_type.removesuffix("[]")), labels)
    else:
        raise LiteralError(
            f"default for the array column ({column_type}) must be a list or an array literal such as '{{}}'"
        )
    return literal(text) + "::" + cast_label(column_type)


def _array_text(items: list[object], element_base: str, labels: tuple[str, ...] | None) -> str:
    """PostgreSQL's array output: ``{a,"b c",NULL}``; booleans as t/f, nested lists nested."""
    parts: list[str] = []
    for item in items:
        if isinstance(item, list):
            parts.append(_array_text(item, element_base, labels))
        elif item is None:
            parts.append("NULL")
        elif isinstance(item, bool):
            parts.append("t" if item else "f")
        elif isinstance(item, dict):
            raise LiteralError("array defaults hold values or lists, not mappings")
        else:
            text = _scalar_text(item)
            if labels is not None:
                _check_label(text, element_base, labels)
            parts.append(_array_element(text))
    return "{" + ",".join(parts) + "}"


def _array_element(text: str) -> str:
    needs_quotes = text == "" or text.upper() == "NULL" or any(c in '{}",\\' or c.isspace() for c in text)
    if not needs_quotes:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_QUOTED_CAST = re.compile(r"^(E?)'((?:[^']|'')*)'::(.+)$", re.DOTALL)


@lru_cache(maxsize=4096)  # inspect asks for the same few defaults thousands of times
def literal_value(sql: str, column_type: str, enum_labels: tuple[str, ...] | None = None) -> object | None:
    """The YAML value whose :func:`default_sql` is exactly ``sql``, or None when there is none.

    Used by ``reconcile inspect`` to write ``default: active`` instead of
    ``default_sql: "'active'::text"``; every candidate is checked by converting it back, so the
    short form is only chosen when it means exactly the same default.
    """
    text = sql.strip()
    bare = text
    quoted = _QUOTED_CAST.match(text)
    if quoted:
        bare = quoted[2].replace("''", "'")
        if quoted[1]:
            bare = bare.replace("\\\\", "\\")
    numbers: list[object] = []
    if re.fullmatch(r"-?\d+", bare):
        numbers.append(int(bare))
    elif _NUMBER.match(bare):
        number = float(bare)
        if math.isfinite(number) and _decimal_text(number) == bare:
            numbers.append(number)
    strings: list[object] = [bare] if quoted or _NUMBER.match(bare) else []
    # Offer the value in the column's own kind first: `default: 0` for an integer column,
    # `default: '0'` for a text one (both would produce the same SQL for text).
    if base_of(column_type) in ("boolean",):
        candidates: list[object] = [text == "true"] if text in ("true", "false") else []
    elif base_of(column_type) in _NUMERIC_TYPES and not is_array(column_type):
        candidates = [*numbers, *strings]
    else:
        candidates = strings
    for candidate in candidates:
        try:
            if default_sql(candidate, column_type, enum_labels) == sql:
                return candidate
        except LiteralError:
            continue
    return None
