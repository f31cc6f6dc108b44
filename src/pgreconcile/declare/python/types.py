"""Python annotations → column types, the way the incidents demand.

``uuid.UUID`` is ``uuid``, ``datetime.datetime`` is ``timestamptz`` (never a naive timestamp),
an ``enum.Enum`` subclass is a PostgreSQL enum of its *values*, a pydantic model is a JSONB group,
and ``X | None`` is the only way to say nullable. Anything else is an error that says how to
declare the type explicitly (``column(type=...)``), never a guess.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import ipaddress
import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pgreconcile.declare.python.api import ColumnInfo

#: Exact classes and the type each maps to; looked up before subclasses (bool is an int,
#: datetime a date).
TYPE_MAP: dict[type, str] = {
    uuid.UUID: "uuid",
    str: "text",
    int: "bigint",
    bool: "boolean",
    float: "double precision",
    decimal.Decimal: "numeric",
    datetime.datetime: "timestamptz",
    datetime.date: "date",
    datetime.time: "time",
    datetime.timedelta: "interval",
    bytes: "bytea",
    dict: "jsonb",
    list: "jsonb",
    ipaddress.IPv4Address: "inet",
    ipaddress.IPv6Address: "inet",
    ipaddress.IPv4Network: "cidr",
    ipaddress.IPv6Network: "cidr",
}

_JSON_ORIGINS = (dict, list, Mapping, Sequence, tuple, set, frozenset)
_HINT = 'declare the type explicitly: column(type="...")'


class AnnotationProblem(ValueError):
    """An annotation that has no column type; ``message`` and ``hint`` are for the user."""

    def __init__(self, message: str, hint: str | None = _HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Mapped:
    """What one annotation declares: exactly one of ``sql_type``, ``enum`` or ``model`` (a
    JSONB group), whether the column is nullable, and a ``column(...)`` found in ``Annotated``."""

    nullable: bool
    sql_type: str | None = None
    enum: type[enum.Enum] | None = None
    model: type[BaseModel] | None = None
    info: ColumnInfo | None = None


def shown(annotation: Any) -> str:
    """An annotation as the user wrote it (``int | None``, ``UserRole``)."""
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "")


def split_optional(annotation: Any) -> tuple[Any, bool, ColumnInfo | None]:
    """``Annotated`` and ``| None`` stripped: the inner annotation, whether None was allowed, and
    a ``column(...)``/``group(...)`` given as ``Annotated`` metadata."""
    nullable = False
    info: ColumnInfo | None = None
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *metadata = typing.get_args(annotation)
            info = next((m for m in metadata if isinstance(m, ColumnInfo)), info)
        elif origin in (typing.Union, types.UnionType):
            args = typing.get_args(annotation)
            rest = [a for a in args if a is not type(None)]
            if len(rest) == len(args):
                raise AnnotationProblem(
                    f"{shown(annotation)}: a column has one type", "pick one, or use column(type=...)"
                )
            nullable = True
            annotation = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
        elif annotation is None or annotation is type(None):
            raise AnnotationProblem("None alone is not a column type", "write `X | None` for a nullable column")
        else:
            return annotation, nullable, info


def map_annotation(annotation: Any) -> Mapped:
    """The column an annotation declares; raises :class:`AnnotationProblem`."""
    inner, nullable, info = split_optional(annotation)
    inner = _unwrap_new_type(inner)
    if isinstance(inner, type):
        if issubclass(inner, enum.Enum):
            return Mapped(nullable, enum=inner, info=info)
        if issubclass(inner, BaseModel):
            return Mapped(nullable, model=inner, info=info)
    return Mapped(nullable, sql_type=builtin_type(inner), info=info)


def builtin_type(annotation: Any) -> str:
    """The SQL type of a plain (non-enum, non-model) annotation; raises :class:`AnnotationProblem`."""
    if annotation is typing.Any or annotation is object:
        raise AnnotationProblem(f"{shown(annotation)} says nothing about the column's type")
    if typing.get_origin(annotation) is typing.Literal:
        raise AnnotationProblem(
            f"{shown(annotation)}: a Literal has no column type",
            "declare an enum.Enum subclass for a closed set of values, or use column(type=...)",
        )
    origin = typing.get_origin(annotation)
    if origin is not None:
        if isinstance(origin, type) and issubclass(origin, _JSON_ORIGINS) and not issubclass(origin, str | bytes):
            return "jsonb"
        raise AnnotationProblem(f"{shown(annotation)} has no column type")
    if isinstance(annotation, str | typing.ForwardRef):
        raise AnnotationProblem(f"the annotation {annotation!r} could not be resolved", "import the name it uses")
    if not isinstance(annotation, type):
        raise AnnotationProblem(f"{annotation!r} is not a type")
    found = TYPE_MAP.get(annotation)
    if found is not None:
        return found
    for cls in annotation.__mro__[1:]:
        if cls in TYPE_MAP and cls is not object:
            return TYPE_MAP[cls]  # a subclass of str, int, ... (not a NewType: unwrapped above)
    raise AnnotationProblem(f"{shown(annotation)} has no column type")


def group_key_type(annotation: Any) -> str:
    """The type of one key of a JSONB group, from a pydantic model field's annotation.

    Keys are optional in JSON whatever the annotation says, so ``| None`` is dropped; an enum key
    is text (a JSON value is not a PostgreSQL enum) and a nested model is jsonb."""
    inner, _, _ = split_optional(annotation)
    inner = _unwrap_new_type(inner)
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return "text"
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "jsonb"
    return builtin_type(inner)


def _unwrap_new_type(annotation: Any) -> Any:
    """``UserId = NewType("UserId", uuid.UUID)`` is a uuid."""
    while hasattr(annotation, "__supertype__"):
        annotation = annotation.__supertype__
    return annotation
