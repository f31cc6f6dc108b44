"""A fast reader for the plain, block-style YAML that declarations are written in, or nothing.

:func:`pgreconcile.declare.yaml.source.load_yaml` builds data from libyaml's events; libyaml's
events alone take 0.2 s for a 2,000-table file (a Python object and two marks per event), half
of the whole load. Declaration files, and every file ``reconcile inspect`` writes, use a small
part of YAML: block mappings and sequences, one entry a line, plain and quoted scalars, flow
collections that close on their line, literal block scalars (``|``, ``|-``). This module reads
exactly that part, line by line, into the same :class:`YamlMap` / :class:`YamlList` / scalars
with the same lines, in about a third of the time.

Anything else is *declined* — :func:`read_fast` returns :data:`DECLINED` and the caller reads
the text with libyaml as before: anchors, aliases, tags, merge keys, folded or indented block
scalars, multi-line plain or quoted scalars, flow collections over several lines, double-quoted
escapes, tabs, documents markers, duplicate keys, a ``:`` inside a plain scalar of a flow
collection, and every text that is not valid YAML (so every problem is still reported by the
libyaml reader, with its own wording). The rule is: when in doubt, decline. A test
(tests/declare/test_declare_yaml_fast.py) checks that on every YAML file of the repository, on
generated schemas and on thousands of random mutations of them, this reader either declines or
gives exactly what the libyaml reader gives, lines included.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from pgreconcile.declare.yaml.lines import BOOL_TAG, INT_TAG, NULL_TAG, STR_TAG, YamlList, YamlMap, plain_tag

#: What :func:`read_fast` returns when the text is not in the part of YAML it reads.
DECLINED: Final = object()


class _Decline(Exception):
    """The text leaves the part of YAML read here (see the module docstring)."""


# Characters that libyaml treats specially anywhere (tabs, other line breaks, a byte-order mark,
# characters YAML does not allow): a text with any of them is declined whole.
_UNUSUAL = re.compile(
    "[\t\r\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
# A mapping key at the start of a line's content: 'quoted' or plain, then ':' and a blank or the
# end. A plain key stops at the first ': ' as libyaml's does; '#' in a plain key is declined.
_KEY = re.compile(r"(?:'((?:[^']|'')*)'|([^\s'\"\-?:,\[\]{}#&*!|>%@`][^#]*?|-(?=[^\s,\[\]{}#])[^#]*?)) *:(?: +|$)")
# A single-quoted scalar that ends the line (a comment may follow, after a blank).
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*| *)$")
# A double-quoted scalar without escapes that ends the line.
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*| *)$')
# The header of a literal block scalar: `|` or `|-`, nothing but a comment after it.
_LITERAL = re.compile(r"\|(-?)(?: +#.*| *)$")
# Inside a flow collection: blanks, then a quoted scalar or a plain one: no '#' in it, and a ':'
# only before a character that neither ends nor breaks a plain scalar there (`now()::text`).
_FLOW_START = r"(?:[^\s,\[\]{}#:'\"&*!|>%@`?\-]|-(?=[^\s,\[\]{}#:]))"
_FLOW_MORE = r"(?:[^,\[\]{}#:]|:(?=[^\s,?\[\]{}]))"
_FLOW_PLAIN = re.compile(rf" *({_FLOW_START}{_FLOW_MORE}*)")
_FLOW_SINGLE = re.compile(r" *'((?:[^']|'')*)'")
_FLOW_DOUBLE = re.compile(r' *"([^"\\]*)"')
_BLANKS = re.compile(r" *")
# The common flow mapping, one pair at a time: a key, then a scalar or a flow sequence of plain
# scalars, then ',' or '}'. Anything else in a flow collection goes through :meth:`_Reader.flow`.
_PLAIN_FLOW_TEXT = rf"{_FLOW_START}{_FLOW_MORE}*?"
_PAIR = re.compile(
    rf" *(?:'((?:[^']|'')*)'|({_PLAIN_FLOW_TEXT})) *: +"
    rf"(?:'((?:[^']|'')*)'|\[ *((?:{_PLAIN_FLOW_TEXT} *, *)*{_PLAIN_FLOW_TEXT}) *\]|({_PLAIN_FLOW_TEXT})) *([,}}])"
)
_ITEM_SEPARATOR = re.compile(r" *, *")
# What may follow the closing bracket of a flow collection on its line.
_TAIL = re.compile(r"(?: +#.*| *)$")
# A plain scalar may not start with these (they begin other tokens, or are reserved).
_NOT_PLAIN_START = frozenset("'\"[]{},#&*!|>%@`")


def read_fast(text: str) -> Any:
    """The data of ``text`` as :func:`~pgreconcile.declare.yaml.source.load_yaml` builds it,
    or :data:`DECLINED` when the text is outside the part of YAML read here."""
    if _UNUSUAL.search(text):
        return DECLINED
    try:
        return _Reader(text.split("\n")).read()
    except (_Decline, IndexError, ValueError):
        return DECLINED


_MISSING = object()
# Plain scalars already resolved: a big file repeats the same few thousand texts. Only text
# and None are kept (a number or a boolean is resolved again: it is rare, and 1 == True).
_PLAINS: dict[str, Any] = {}


def _plain(value: str) -> Any:
    """A plain scalar as the libyaml reader resolves it (YAML 1.2 core schema)."""
    tag = plain_tag(value)
    if tag == STR_TAG:
        if len(_PLAINS) < 65536:
            _PLAINS[value] = value
        return value
    if tag == NULL_TAG:
        return None
    if tag == BOOL_TAG:
        return value.lower() == "true"
    if tag == INT_TAG:
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value, 10)
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    return math.nan if lowered == ".nan" else float(value)


class _Reader:
    """One pass over the lines; a stack of open block collections, each with its column."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0  # index of the next line to read

    def read(self) -> Any:
        lines = self.lines
        count = len(lines)
        # Each frame: (column, container). Keys of a map, or dashes of a list, sit at its column.
        stack: list[tuple[int, Any]] = []
        root: Any = None
        # A key (or dash) waiting for a block collection on the next lines: (container, key,
        # line, column of the key or dash).
        pending: tuple[Any, str | None, int, int] | None = None
        # After a complete value, the next line may not be indented past this column (it would
        # continue a multi-line scalar, or be an error).
        limit = -1
        key_match = _KEY.match
        plains = _PLAINS
        while self.at < count:
            line = lines[self.at]
            self.at += 1
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            number = self.at
            column = len(line) - len(content)
            if column == 0 and (content[0] == "%" or content.startswith(("---", "..."))):
                raise _Decline
            dash = content[0] == "-" and (len(content) == 1 or content[1] == " ")
            if pending is not None:
                container, key, key_line, owner = pending
                pending = None
                if column <= owner:
                    if key is None:
                        raise _Decline  # an empty list item
                    self.put(container, key, key_line, None)
                else:
                    child: Any = YamlList(number) if dash else YamlMap(number)
                    # A list item's line is where its value starts; a key's, where the key is.
                    self.put(container, key, key_line if key is not None else number, child)
                    stack.append((column, child))
            elif column > limit >= 0:
                raise _Decline
            elif root is None:
                if column != 0 or dash:
                    raise _Decline  # declarations are a mapping
                root = YamlMap(number)
                stack.append((0, root))
            while stack[-1][0] > column:
                stack.pop()
            top_column, top = stack[-1]
            if top_column != column:
                raise _Decline
            if isinstance(top, YamlList):
                if not dash:
                    raise _Decline
                rest = content[1:]
                inner = rest.lstrip(" ")
                if not inner or inner[0] == "#":
                    pending = (top, None, number, column)
                    limit = -1
                    continue
                inner_column = column + len(content) - len(inner)
                found = key_match(inner)
                if found is not None:
                    # `- key: value`: a mapping that starts on the dash's line.
                    mapping = YamlMap(number)
                    top.append(mapping)
                    top.item_lines.append(number)
                    stack.append((inner_column, mapping))
                    pending, limit = self.entry(mapping, found, inner, inner_column, number)
                else:
                    if inner[0] == "-" and (len(inner) == 1 or inner[1] in " "):
                        raise _Decline  # a list in a list, on one line
                    top.append(self.value(inner, number, column))
                    top.item_lines.append(number)
                    limit = column
            else:
                if dash:
                    raise _Decline  # a list at its key's column, or a stray dash
                found = key_match(content)
                if found is None:
                    raise _Decline
                # What entry() does, inline: this runs for most lines of a file.
                key = found.group(2)
                if key is None or key == "<<" or len(key) > 1000:
                    pending, limit = self.entry(top, found, content, column, number)
                    continue
                key = key.rstrip(" ")
                rest = content[found.end() :]
                if not rest or rest[0] == "#":
                    pending, limit = (top, key, number, column), -1
                    continue
                if key in top:
                    raise _Decline  # a duplicate key: the libyaml reader reports it
                first = rest[0]
                if first not in _NOT_PLAIN_START and first not in "-?:|":
                    cut = rest.find(" #")
                    plain = (rest if cut < 0 else rest[:cut]).rstrip(" ")
                    if ": " in plain or plain[-1] == ":":
                        raise _Decline
                    value = plains.get(plain, _MISSING)
                    top[key] = value if value is not _MISSING else _plain(plain)
                else:
                    top[key] = self.value(rest, number, column)
                top.key_lines[key] = number
                limit = column
        if pending is not None:
            container, key, key_line, _ = pending
            if key is None:
                raise _Decline
            self.put(container, key, key_line, None)
        if root is None:
            raise _Decline  # an empty document: rare, and libyaml's reader says what it is
        return root

    def entry(
        self, mapping: YamlMap, found: re.Match[str], content: str, column: int, number: int
    ) -> tuple[tuple[Any, str | None, int, int] | None, int]:
        """One ``key: value`` at ``column``; returns what waits for the next lines, and the limit."""
        quoted, plain = found.group(1), found.group(2)
        if quoted is not None:
            key = quoted.replace("''", "'")
        else:
            key = plain.rstrip(" ")
            if key == "<<" or len(key) > 1000 or ": " in key:
                raise _Decline
        rest = content[found.end() :]
        if not rest or rest[0] == "#":
            return (mapping, key, number, column), -1
        self.put(mapping, key, number, self.value(rest, number, column))
        return None, column

    def put(self, container: Any, key: str | None, line: int, value: Any) -> None:
        if key is None:
            container.append(value)
            container.item_lines.append(line)
            return
        if key in container:
            raise _Decline  # a duplicate key: the libyaml reader reports it
        container[key] = value
        container.key_lines[key] = line

    def value(self, text: str, number: int, owner: int) -> Any:
        """The scalar or one-line flow collection ``text`` (a line's rest after ``key:`` or ``-``)."""
        first = text[0]
        if first == "'":
            found = _SINGLE.match(text)
            if found is None:
                raise _Decline
            return found.group(1).replace("''", "'")
        if first == '"':
            found = _DOUBLE.match(text)
            if found is None:
                raise _Decline
            return found.group(1)
        if first in "[{":
            value, end = self.flow(text, 0, number)
            if _TAIL.match(text, end) is None:
                raise _Decline
            return value
        if first == "|":
            found = _LITERAL.match(text)
            if found is None:
                raise _Decline
            return self.literal(owner, strip=found.group(1) == "-")
        if first in _NOT_PLAIN_START or (first in "-?:" and (len(text) == 1 or text[1] == " ")):
            raise _Decline
        cut = text.find(" #")
        plain = (text if cut < 0 else text[:cut]).rstrip(" ")
        if ": " in plain or plain.endswith(":"):
            raise _Decline
        return _plain(plain)

    def flow(self, text: str, at: int, number: int) -> tuple[Any, int]:
        """The flow collection or scalar at ``at`` and where it ends (within one line)."""
        at = _BLANKS.match(text, at).end()  # type: ignore[union-attr]
        first = text[at]
        if first == "{":
            mapping = YamlMap(number)
            at += 1
            pair = _PAIR.match
            while True:
                found = pair(text, at)
                if found is None:
                    break
                quoted_key, plain_key, quoted, items, plain, end = found.groups()
                key = quoted_key.replace("''", "'") if quoted_key is not None else plain_key
                if key in mapping or key == "<<":
                    raise _Decline
                if quoted is not None:
                    mapping[key] = quoted.replace("''", "'")
                elif plain is not None:
                    mapping[key] = _plain(plain)
                else:
                    values = YamlList(number)
                    for item in _ITEM_SEPARATOR.split(items):
                        values.append(_plain(item))
                        values.item_lines.append(number)
                    mapping[key] = values
                mapping.key_lines[key] = number
                at = found.end()
                if end == "}":
                    return mapping, at
            while True:
                at = _BLANKS.match(text, at).end()  # type: ignore[union-attr]
                if text[at] == "}" and not mapping:
                    return mapping, at + 1
                key, at = self.flow_scalar(text, at)
                if text[at] != ":" or text[at + 1] != " ":
                    raise _Decline
                key_text = key if self.quoted else self.plain_text
                if key_text in mapping or key_text == "<<":
                    raise _Decline
                at = _BLANKS.match(text, at + 1).end()  # type: ignore[union-attr]
                if text[at] in ",}":
                    raise _Decline  # an empty value
                value, at = self.flow(text, at, number)
                mapping[key_text] = value
                mapping.key_lines[key_text] = number
                at = _BLANKS.match(text, at).end()  # type: ignore[union-attr]
                if text[at] == ",":
                    at += 1
                    continue
                if text[at] == "}":
                    return mapping, at + 1
                raise _Decline
        if first == "[":
            items = YamlList(number)
            at += 1
            while True:
                at = _BLANKS.match(text, at).end()  # type: ignore[union-attr]
                if text[at] == "]" and not items:
                    return items, at + 1
                value, at = self.flow(text, at, number)
                items.append(value)
                items.item_lines.append(number)
                at = _BLANKS.match(text, at).end()  # type: ignore[union-attr]
                if text[at] == ",":
                    at += 1
                    continue
                if text[at] == "]":
                    return items, at + 1
                raise _Decline
        return self.flow_scalar(text, at)

    # Set by flow_scalar: whether the scalar was quoted, and a plain one's text (a key is text).
    quoted = False
    plain_text = ""

    def flow_scalar(self, text: str, at: int) -> tuple[Any, int]:
        found = _FLOW_SINGLE.match(text, at)
        if found is not None:
            self.quoted = True
            return found.group(1).replace("''", "'"), found.end()
        found = _FLOW_DOUBLE.match(text, at)
        if found is not None:
            self.quoted = True
            return found.group(1), found.end()
        found = _FLOW_PLAIN.match(text, at)
        if found is None:
            raise _Decline
        self.quoted = False
        plain = found.group(1).rstrip(" ")
        if not plain:
            raise _Decline
        self.plain_text = plain
        return _plain(plain), found.end()

    def literal(self, owner: int, *, strip: bool) -> str:
        """A ``|`` or ``|-`` block scalar whose header ended the previous line; its lines must be
        indented past ``owner`` (the column of its key or dash)."""
        lines = self.lines
        count = len(lines)
        body: list[str] = []
        indent = -1
        blank_before = 0  # the longest blank line before the first content line
        while self.at < count:
            line = lines[self.at]
            content = line.lstrip(" ")
            if not content:
                if indent >= 0 and len(line) > indent:
                    raise _Decline  # blanks past the indentation: content of spaces
                blank_before = max(blank_before, len(line)) if indent < 0 else blank_before
                body.append("")
                self.at += 1
                continue
            column = len(line) - len(content)
            if indent < 0:
                if column <= owner or blank_before > column:
                    break
                indent = column
            elif column < indent:
                break
            body.append(line[indent:])
            self.at += 1
            if self.at == count and not strip:
                raise _Decline  # the last line has no line break for `|` to keep
        if indent < 0:
            raise _Decline  # an empty block scalar
        while body and not body[-1]:
            body.pop()  # trailing blank lines: clipped or stripped (the caller skips blanks anyway)
        text = "\n".join(body)
        return text if strip else text + "\n"
