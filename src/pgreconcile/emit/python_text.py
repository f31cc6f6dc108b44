"""Python source text for ``inspect --format python``: literals, calls, and the lists of helper
calls a Table class holds (shared by :mod:`.to_python` and :mod:`.python_tables`)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

#: Longest line written by choice; longer calls get one argument per line.
WIDTH = 100


def lit(value: object) -> str:
    """A Python literal for ``value``; text in double quotes where that needs no escaping."""
    if isinstance(value, str):
        if value.isprintable() and '"' not in value and "\\" not in value:
            return f'"{value}"'
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(lit(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in value.items()) + "}"
    return repr(value)


def py_text(value: str) -> str:
    """SQL text as a Python literal: triple-quoted when it spans lines and that reads back the same."""
    if "\n" in value and '"""' not in value and "\\" not in value and not value.endswith('"') and all(
        ch.isprintable() for ch in value.replace("\n", "")
    ):
        return f'"""{value}"""'
    return lit(value)


def call_args(values: Iterable[str], extra: list[str]) -> list[str]:
    return [*(lit(v) for v in values), *extra]


def call(prefix: str, function: str, args: list[str], indent: int, suffix: str = "") -> list[str]:
    """``prefix function(args)suffix`` on one line, or one argument per line when too long."""
    pad = " " * indent
    line = f"{pad}{prefix}{function}({', '.join(args)}){suffix}"
    if len(line) <= WIDTH or not args:
        return [line]
    return [f"{pad}{prefix}{function}(", *(f"{pad}    {a}," for a in args), f"{pad}){suffix}"]


def listed(attribute: str, entries: list[tuple[str, list[str]]], helpers: set[str], helper: str) -> list[str]:
    if not entries:
        return []
    helpers.add(helper)
    lines = [f"    {attribute} = ["]
    for function, args in entries:
        lines += call("", function, args, 8, ",")
    return [*lines, "    ]"]


def field_name(column: str, taken: set[str]) -> str:
    """The column's own name when it can be a field, else an identifier made from it."""
    dunder = column.startswith("__") and column.endswith("__")
    if column.isidentifier() and not keyword.iskeyword(column) and not dunder and column not in taken:
        return column
    base = re.sub(r"\W+", "_", column, flags=re.ASCII).strip("_") or "column"
    base = base if base[0].isalpha() else "c_" + base
    return unique_identifier(base if base not in taken and not keyword.iskeyword(base) else base + "_", taken)


def unique_identifier(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3``, ... whichever is not taken (nor a keyword)."""
    name, n = wanted, 1
    while name in taken or keyword.iskeyword(name):
        n += 1
        name = f"{wanted}_{n}"
    return name
