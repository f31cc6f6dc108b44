"""``dataclasses.replace`` for the model's frozen classes, at a quarter of its cost.

``dataclasses.replace`` looks the class's fields up and calls ``__init__`` with every one of them
as a keyword, each time: giving 40,000 columns of SQL files their origin took 0.6 s of the wait
after the files ran. Here a function made once per class copies the fields into a new object
and sets the changed ones (``object.__setattr__``, as a frozen dataclass's own ``__init__`` does).
Classes for which that is not the same as calling ``__init__`` — a ``__post_init__``, a field
left out of ``__init__`` — go through ``dataclasses.replace`` itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_Copier = Callable[[Any, dict[str, Any]], Any]
_COPIERS: dict[type, _Copier | None] = {}


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of dataclass instance ``obj`` with ``changes``, as ``dataclasses.replace`` makes it."""
    cls = type(obj)
    if cls not in _COPIERS:
        _COPIERS[cls] = _copier(cls)
    copier = _COPIERS[cls]
    if copier is None:
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    new: T = copier(obj, changes)
    return new


def _copier(cls: type) -> _Copier | None:
    """The copying function of dataclass ``cls``, or None where only ``__init__`` will do."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        return None
    names = tuple(f.name for f in fields)
    lines = ["def copy(obj, changes):",
             "    if not changes.keys() <= known:",
             "        raise TypeError(f'{cls.__name__} has no field {sorted(changes.keys() - known)[0]!r}')",
             "    new = allocate(cls)"]
    lines += [f"    set_field(new, {name!r}, obj.{name})" for name in names]
    lines += ["    for name, value in changes.items():",
              "        set_field(new, name, value)",
              "    return new"]
    namespace: dict[str, Any] = {"allocate": object.__new__, "set_field": object.__setattr__, "cls": cls,
                                 "known": frozenset(names)}
    # Field names are identifiers of the model's own classes: nothing here comes from data.
    exec("\n".join(lines), namespace)
    copy: _Copier = namespace["copy"]
    return copy
