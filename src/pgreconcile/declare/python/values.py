"""Python values in declarations (defaults above all) → the plain values YAML would hold.

An enum member becomes its *value* — ``column(default=UserRole.USER)`` stores ``'user'``, never
``'USER'`` — and the other standard types become the text PostgreSQL reads them from. The
literal is then checked against the column's type by the same code as a YAML ``default:``.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import ipaddress
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

_SCALARS = (str, int, float, bool, type(None))
_TEXT = (
    uuid.UUID,
    decimal.Decimal,
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
)


class ValueProblem(ValueError):
    """A value that has no literal form; ``message`` and ``hint`` are for the user."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def plain(value: Any) -> Any:
    """``value`` as str / int / float / bool / None / list / dict; raises :class:`ValueProblem`."""
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, _TEXT):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    if isinstance(value, datetime.timedelta):
        return _interval(value)
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [plain(v) for v in items]
    raise ValueProblem(
        f"{value!r} ({type(value).__name__}) has no literal form",
        "write the value as text, a number or a boolean, or use default_sql= for an expression",
    )


def _interval(value: datetime.timedelta) -> str:
    """A timedelta as PostgreSQL prints an interval (``1 day 02:03:04``)."""
    if value < datetime.timedelta(0):
        raise ValueProblem(f"{value!r}: a negative timedelta has no literal form here", "use default_sql=")
    days = value.days
    seconds = value.seconds
    clock = f"{seconds // 3600:02}:{seconds % 3600 // 60:02}:{seconds % 60:02}"
    if value.microseconds:
        clock += f".{value.microseconds:06}".rstrip("0")
    if not days:
        return clock
    day_text = f"{days} day" + ("s" if days != 1 else "")
    return day_text if clock == "00:00:00" else f"{day_text} {clock}"
