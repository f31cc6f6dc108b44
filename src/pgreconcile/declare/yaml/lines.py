"""YAML data that remembers the line of every key and item, finding a line in it, and problems
found in YAML text.

What both YAML readers build (:mod:`.fast` for the plain block style declarations are written
in, :mod:`.events` from libyaml's events for everything else), and what Python declaration
files are turned into (:mod:`pgreconcile.declare.python.data`). Nothing here imports PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"


class YamlMap(dict[str, Any]):
    """A mapping read from YAML: ``line`` is where it starts, ``key_lines`` where each key is."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YamlList(list[Any]):
    """A sequence read from YAML: ``line`` is where it starts, ``item_lines`` where each item is."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Something wrong in the YAML text itself, at a 1-based line."""

    line: int | None
    message: str
    hint: str | None = None


# Implicit tags of the YAML 1.2 core schema (see the module docstring for why), tried in order.
_IMPLICIT = (
    (BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (INT_TAG, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (
        FLOAT_TAG,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
    ),
    (NULL_TAG, re.compile(r"^(?:~|null|Null|NULL|)$")),
)


@lru_cache(maxsize=65536)
def plain_tag(value: str) -> str:
    """The tag of an untagged plain scalar; a big file repeats the same few thousand texts."""
    for tag, pattern in _IMPLICIT:
        if pattern.match(value):
            return tag
    return STR_TAG


def line_at(data: Any, path: tuple[str | int, ...]) -> int | None:
    """The line of the deepest key or item along ``path`` that exists in ``data``.

    Path parts that do not match (a validation library's own labels, a key that was never
    written because a short form was expanded) are skipped, so the answer is always the most
    precise line that the source actually has. An integer part on a mapping means its n-th key,
    which is how list-shaped views of keyed mappings are addressed.
    """
    line: int | None = getattr(data, "line", None)
    current = data
    for part in path:
        if isinstance(current, YamlMap):
            key: str | None = None
            if isinstance(part, str):
                if part in current:
                    key = part
            elif 0 <= part < len(current):
                key = list(current)[part]
            if key is not None:
                line = current.key_lines.get(key, line)
                current = current[key]
        elif isinstance(current, YamlList) and isinstance(part, int) and 0 <= part < len(current):
            line = current.item_lines[part]
            current = current[part]
    return line


def line_source(data: Any, path: tuple[str, ...]) -> Any:
    """The YAML data at ``path`` when every key exists, else None (for later :func:`line_at`)."""
    for key in path:
        if not isinstance(data, YamlMap) or key not in data:
            return None
        data = data[key]
    return data
