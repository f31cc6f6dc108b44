"""Copies of model objects with some fields changed, at a fraction of ``dataclasses.replace``'s cost.

``dataclasses.replace`` looks the class's fields up and goes through ``__init__`` for every copy:
attaching a file:line to each of the 40,000 columns read back from SQL files took most of a
second that way. The model's classes are frozen dataclasses with no ``__post_init__`` and every
field in ``__init__``, so a copy is the same object with the changed fields set: one function
per class and set of changed fields, made once, sets each field directly (as
:mod:`pgreconcile.cache` rebuilds them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_COPIERS: dict[tuple[type, tuple[str, ...]], Callable[..., Any]] = {}


def _copier(cls: type, changed: tuple[str, ...]) -> Callable[..., Any]:
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a plain frozen dataclass: use dataclasses.replace")
    names = [f.name for f in fields]
    unknown = [name for name in changed if name not in names]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {unknown[0]!r}")
    lines = [f"def copy(obj, {', '.join(changed)}):", "    new = new_object(cls)"]
    lines += [f"    set_field(new, {name!r}, {name if name in changed else 'obj.' + name})" for name in names]
    lines.append("    return new")
    namespace: dict[str, Any] = {"new_object": object.__new__, "set_field": object.__setattr__, "cls": cls}
    exec("\n".join(lines), namespace)  # field names are identifiers: nothing here comes from data
    copy: Callable[..., Any] = namespace["copy"]
    return copy


def replaced(obj: T, **changes: Any) -> T:
    """``obj`` with ``changes`` (field name → value), like ``dataclasses.replace``."""
    key = (type(obj), tuple(changes))
    copy = _COPIERS.get(key)
    if copy is None:
        copy = _COPIERS[key] = _copier(*key)
    result: T = copy(obj, **changes)
    return result
