"""Writing YAML text by hand: readable layout, and scalars quoted exactly when they must be.

PyYAML's dumper cannot mix block and flow style per entry, which is what makes a schema file
readable (``email: {type: text, nullable: false}`` on one line, tables and column lists as
blocks). This writer does that, and quotes a scalar whenever a YAML reader — this project's, or
any YAML 1.1 tool a user may run over the file — could read it as anything but the same text.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from pgreconcile.declare.yaml.source import plain_tag

#: Longest line the writer produces by choice (a single long scalar may exceed it).
WIDTH = 110

# Plain scalars: a conservative set that is plain in both block and flow context.
_PLAIN = re.compile(r"^[A-Za-z_(][A-Za-z0-9_ .()+*/<>=$@\-]*$")
# Words YAML 1.1 readers turn into booleans; quoted so no tool misreads the file.
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off"})
_STR_TAG = "tag:yaml.org,2002:str"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


class Block(dict[str, Any]):
    """A mapping that is always written in block style (one key per line)."""


class Text(str):
    """A string written as a literal block (``|-``) when it spans lines: SQL a person reads."""

    __slots__ = ()


def _literal_lines(text: str) -> list[str] | None:
    """The lines of ``text`` for a ``|-`` block, or None when a block would not read back the same
    (blanks at line ends or leading the first line, characters a block cannot hold)."""
    lines = text.split("\n")
    if len(lines) < 2 or not lines[0] or lines[0][0] in " \t" or not all(
        line == line.rstrip() and all(_single_quotable(ch) and ch != "\t" for ch in line) for line in lines
    ):
        return None
    return lines


class Literal(str):
    """[routines] Text written as a literal block (``|``) when it spans lines and that reads
    back exactly (function bodies); as a quoted scalar otherwise."""


def _exact_block(text: str, indent: int) -> list[str] | None:
    """The ``|`` block of ``text`` at ``indent`` (None when a block cannot hold it exactly)."""
    if "\n" not in text.rstrip("\n") or any(not (ch.isprintable() or ch in "\n\t") for ch in text):
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = body.split("\n")
    if any(line[:1] == "\t" for line in lines):
        return None  # a tab cannot start a block line
    pad = " " * (indent + 2)
    # A first line that starts with a space needs the indentation said explicitly.
    first = next((line for line in lines if line), "")
    header = "|" + ("2" if first[:1] == " " else "") + chomp
    out = [header] + [pad + line if line else "" for line in lines]
    out += [""] * (trailing - 1) if chomp == "+" else []
    return out


def scalar(value: object) -> str:
    """One scalar as YAML text that reads back as exactly ``value``."""
    if type(value) is str:  # the common case, first: a big schema writes hundreds of thousands
        return _text(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    return _text(str(value))


@lru_cache(maxsize=65536)
def _text(text: str) -> str:
    # Cached: names, types and keys repeat thousands of times in a big schema.
    if (
        _PLAIN.match(text)
        and text == text.strip()
        and text.lower() not in _YAML11_WORDS
        and plain_tag(text) == _STR_TAG
    ):
        return text
    if text.isprintable():  # every character _single_quotable (the three below are not printable)
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def _single_quotable(ch: str) -> bool:
    # Line breaks fold inside single quotes, and non-printables are not allowed at all.
    return ch.isprintable() and ch not in "\x85\u2028\u2029"


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _single_quotable(ch):
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def flow(value: object) -> str:
    """``value`` in flow style: ``{a: 1, b: [x, y]}``."""
    if type(value) is str:
        return _text(value)
    if isinstance(value, dict):
        # Keys and most values are plain strings: quoted through the cache without a call to
        # flow() each (a 2,000-table schema writes 150,000 of them).
        return "{" + ", ".join([
            f"{_text(k) if type(k) is str else scalar(k)}: {_text(v) if type(v) is str else flow(v)}"
            for k, v in value.items()
        ]) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join([_text(v) if type(v) is str else flow(v) for v in value]) + "]"
    return scalar(value)


def entry(key: str, value: object, indent: int) -> list[str]:
    """The lines of ``key: value`` at ``indent`` spaces: flow when it fits, block otherwise."""
    pad = " " * indent
    head = f"{pad}{_text(key) if type(key) is str else scalar(key)}:"
    if type(value) is str:  # most entries (a column's type): a plain string is one line
        return [f"{head} {_text(value)}"]
    if isinstance(value, Text) and (lines := _literal_lines(value)) is not None:
        return [f"{head} |-"] + [f"{pad}  {line}" if line else "" for line in lines]
    if isinstance(value, Literal):
        block = _exact_block(str(value), indent)
        if block is not None:
            return [f"{head} {block[0]}", *block[1:]]
        value = str(value)
    if isinstance(value, Block):
        if not value:
            return [f"{head} {{}}"]
        return [head] + [line for k, v in value.items() for line in entry(k, v, indent + 2)]
    text = flow(value)
    if len(head) + 1 + len(text) <= WIDTH or not isinstance(value, dict | list | tuple) or not value:
        return [f"{head} {text}"]
    if isinstance(value, dict):
        return [head] + [line for k, v in value.items() for line in entry(k, v, indent + 2)]
    return [head] + [f"{pad}  - {flow(item)}" for item in value]
