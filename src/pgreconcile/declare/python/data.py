"""Language data with lines, built from Python values rather than read from YAML text.

Validation, error messages and origins all find lines through
:class:`~pgreconcile.declare.yaml.source.YamlMap` / ``YamlList`` (:func:`line_at`), so the Python
source builds its data from the same two classes, recording for every key the line of the
``.py`` file it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pgreconcile.declare.python.values import ValueProblem, plain
from pgreconcile.declare.yaml.source import YamlList, YamlMap


def data(value: Any) -> Any:
    """Python values as language data (enum members → their values, tuples → lists, ...);
    a value with no plain form is left as it is, for validation to report in its own words."""
    try:
        return plain(value)
    except ValueProblem:
        return value


def with_lines(value: Any, line: int | None, key_lines: Mapping[str | int, int] | None = None) -> Any:
    """Plain data as YamlMap / YamlList at ``line``; ``key_lines`` gives the first level's keys
    (or items) lines of their own."""
    if isinstance(value, YamlMap | YamlList):
        return value
    key_lines = key_lines or {}
    if isinstance(value, Mapping):
        out = YamlMap(line or 0)
        for key, item in value.items():
            at = key_lines.get(str(key), line)
            put(out, str(key), item, at)
        return out
    if isinstance(value, list):
        items = YamlList(line or 0)
        for i, item in enumerate(value):
            at = key_lines.get(i, line)
            items.append(with_lines(item, at))
            items.item_lines.append(at or 0)
        return items
    return value


def put(target: YamlMap, key: str, value: Any, line: int | None) -> Any:
    """Set ``target[key]`` (converted by :func:`with_lines`), written at ``line``; returns it."""
    target[key] = with_lines(value, line)
    target.key_lines[key] = line or target.line
    return target[key]


def child(target: YamlMap, key: str, line: int | None) -> YamlMap:
    """The mapping under ``key``, created at ``line`` when missing."""
    found = target.get(key)
    if isinstance(found, YamlMap):
        return found
    created = YamlMap(line or 0)
    put(target, key, created, line)
    return created


def append(target: YamlList, value: Any, line: int | None) -> None:
    """Add an item written at ``line``."""
    target.append(with_lines(value, line))
    target.item_lines.append(line or target.line)
