"""Canonical text of constants, the way PostgreSQL prints them back.

PostgreSQL stores a typed constant in binary and deparses it through the type's output function,
so the text a user wrote is not the text the catalog returns: ``interval '1 hour'`` comes back as
``'01:00:00'::interval``, ``'{"b":1, "a":2}'::jsonb`` as ``'{"a": 2, "b": 1}'::jsonb``, a
``'2020-01-01'`` compared with a timestamp as ``'2020-01-01 00:00:00'``, ``1.5e3`` as ``1500``.
Each function here brings a constant's text to one spelling, and returns None when the text is
not in a form it fully understands — the caller then keeps the text as written, which can only
cause a visible (spurious) difference, never hide a real one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def canonical_number(text: str) -> str | None:
    """Numeric text as ``numeric_out`` prints it: exponents expanded (``1.5e3`` → ``1500``),
    leading zeros dropped, the scale kept (``1.50`` stays ``1.50``, so ``0`` ≠ ``0.0``), no ``-0``.
    """
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        return None
    try:
        value = Decimal(stripped)
    except InvalidOperation:
        return None
    if value.is_zero():
        value = abs(value)
    return format(value, "f")


def number_like_string(text: str) -> str | None:
    """The number a string literal spells *exactly* (``'-1'`` → ``-1``), or None.

    Only texts already in canonical numeric form qualify: ``'007'`` or ``'1e3'`` stay strings,
    because as text they differ from ``'7'`` and ``'1000'`` and a text column may hold them.
    """
    number = canonical_number(text)
    return number if number == text else None


# ---------------------------------------------------------------- json

def canonical_json(text: str) -> str | None:
    """An object or array as ``jsonb_out`` prints it: ``{"a": 1, "b": [1, 2]}`` with keys sorted
    by length then bytes, the last duplicate key winning, numbers as numeric prints them.

    Scalars and invalid JSON give None (``'{a,b}'`` is an array literal, not JSON).
    """
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        value = json.loads(stripped, parse_float=Decimal, parse_int=Decimal)
    except ValueError:
        return None
    return _jsonb_text(value)


def _jsonb_text(value: object) -> str:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return "{" + ", ".join(f"{_jsonb_string(k)}: {_jsonb_text(value[k])}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_jsonb_text(v) for v in value) + "]"
    if isinstance(value, str):
        return _jsonb_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    assert isinstance(value, Decimal)
    return canonical_number(str(value)) or str(value)


def _jsonb_string(text: str) -> str:
    # jsonb escapes only what JSON requires and keeps other characters as they are.
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------- date and time

_DATETIME = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?P<f>\.\d+)?)?)?"
    r"(?:\s*(?P<tz>[zZ]|[+-]\d{2}(?::?\d{2})?))?"
)


def canonical_datetime(text: str) -> str | None:
    """An ISO date or timestamp as ``YYYY-MM-DD[ HH:MM:SS[.f]]``, midnight and a UTC offset
    dropped: ``'2020-1-1'``, ``'2020-01-01 00:00:00'`` and ``'2020-01-01 00:00:00+00'`` agree.

    Why drop them: the same constant deparses as ``'2020-01-01'::date``,
    ``'2020-01-01 00:00:00'::timestamp`` or ``'2020-01-01 00:00:00+00'::timestamptz`` (the
    latter printed in the session's TimeZone, which the catalog reader pins to UTC) depending on
    the column it is compared with, and the desired side usually writes no type at all. A
    non-zero offset gives None: PostgreSQL would print a converted instant.
    """
    match = _DATETIME.fullmatch(text.strip())
    if not match:
        return None
    tz = match["tz"]
    if tz and tz.lower() != "z" and int(re.sub(r"\D", "", tz) or "0") != 0:
        return None
    try:
        date = dt.date(int(match["y"]), int(match["mo"]), int(match["d"]))
        hour, minute, second = int(match["h"] or 0), int(match["mi"] or 0), int(match["s"] or 0)
        dt.time(hour, minute, second)
    except ValueError:
        return None
    fraction = (match["f"] or "").rstrip("0").rstrip(".")
    if (hour, minute, second) == (0, 0, 0) and not fraction:
        return date.isoformat()
    return f"{date.isoformat()} {hour:02d}:{minute:02d}:{second:02d}{fraction}"


# ---------------------------------------------------------------- interval

_USEC = 1
_SECOND = 1_000_000
# unit → (months, days, microseconds) per one unit, for the unit spellings interval_in accepts.
_INTERVAL_UNITS: dict[str, tuple[int, int, int]] = {}
for _names, _value in (
    (("microsecond", "microseconds", "usec", "usecs", "us"), (0, 0, _USEC)),
    (("millisecond", "milliseconds", "msec", "msecs", "ms"), (0, 0, 1000)),
    (("second", "seconds", "sec", "secs", "s"), (0, 0, _SECOND)),
    (("minute", "minutes", "min", "mins", "m"), (0, 0, 60 * _SECOND)),
    (("hour", "hours", "hr", "hrs", "h"), (0, 0, 3600 * _SECOND)),
    (("day", "days", "d"), (0, 1, 0)),
    (("week", "weeks", "w"), (0, 7, 0)),
    (("month", "months", "mon", "mons"), (1, 0, 0)),
    (("year", "years", "yr", "yrs", "y"), (12, 0, 0)),
    (("decade", "decades"), (120, 0, 0)),
    (("century", "centuries"), (1200, 0, 0)),
    (("millennium", "millennia", "millenniums"), (12000, 0, 0)),
):
    for _name in _names:
        _INTERVAL_UNITS[_name] = _value

_INTERVAL_PART = re.compile(
    r"\s*(?:(?P<clock>[+-]?\d+:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)"
    r"|(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[a-z]+)?)"
)


def canonical_interval(text: str) -> str | None:
    """Interval text as ``interval_out`` prints it with IntervalStyle ``postgres``:
    ``'1 hour'`` → ``01:00:00``, ``'1 week'`` → ``7 days``, ``'1 day 2 hours'`` →
    ``1 day 02:00:00``, ``'2 hours ago'`` → ``-02:00:00``.

    Understands ``<number> <unit>`` pairs, one ``[+-]H:MM[:SS[.f]]`` clock and a trailing ``ago``;
    fractional months and years (whose rounding rules are subtle) give None.
    """
    body = text.strip().lower()
    ago = body.endswith(" ago") or body == "ago"
    if ago:
        body = body[: -len("ago")].strip()
    if not body:
        return None
    months = days = usecs = 0
    pos = 0
    while pos < len(body):
        match = _INTERVAL_PART.match(body, pos)
        if not match or match.end() == pos:
            return None
        pos = match.end()
        if match["clock"]:
            usecs += _clock_usecs(match["clock"])
            continue
        unit = _INTERVAL_UNITS.get(match["unit"] or "second")
        if unit is None:
            return None
        amount = Decimal(match["num"])
        unit_months, unit_days, unit_usecs = unit
        if unit_months:
            if amount != amount.to_integral_value():
                return None
            months += int(amount) * unit_months
        elif unit_days:
            total_days = amount * unit_days
            whole = int(total_days)
            days += whole
            usecs += int((total_days - whole) * 86400 * _SECOND)
        else:
            usecs += int(amount * unit_usecs)
    if ago:
        months, days, usecs = -months, -days, -usecs
    return _interval_text(months, days, usecs)


def _clock_usecs(clock: str) -> int:
    negative = clock.startswith("-")
    parts = clock.lstrip("+-").split(":")
    hours, minutes = int(parts[0]), int(parts[1])
    seconds = Decimal(parts[2]) if len(parts) > 2 else Decimal(0)
    total = (hours * 3600 + minutes * 60) * _SECOND + int(seconds * _SECOND)
    return -total if negative else total


def _interval_text(months: int, days: int, usecs: int) -> str:
    """Mirror of PostgreSQL's EncodeInterval for INTSTYLE_POSTGRES."""
    years, mons = int(months / 12), months - int(months / 12) * 12  # C truncation toward zero
    parts: list[str] = []
    is_before = False
    for value, unit in ((years, "year"), (mons, "mon"), (days, "day")):
        if value == 0:
            continue
        sign = "+" if is_before and value > 0 else ""
        parts.append(f"{sign}{value} {unit}{'' if value == 1 else 's'}")
        is_before = value < 0
    if not parts or usecs != 0:
        minus = usecs < 0
        magnitude = abs(usecs)
        hours, rest = divmod(magnitude, 3600 * _SECOND)
        minutes, rest = divmod(rest, 60 * _SECOND)
        seconds, micros = divmod(rest, _SECOND)
        fraction = f".{micros:06d}".rstrip("0") if micros else ""
        sign = "-" if minus else ("+" if is_before else "")
        parts.append(f"{sign}{hours:02d}:{minutes:02d}:{seconds:02d}{fraction}")
    return " ".join(parts)


# ---------------------------------------------------------------- uuid and boolean

_UUID = re.compile(r"\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?"
                   r"([0-9a-fA-F]{12})\}?")
_UUID_STRICT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def canonical_uuid(text: str, *, typed: bool) -> str | None:
    """A UUID in ``uuid_out`` form (lowercase, hyphenated). Untyped strings must already be in
    the hyphenated form to qualify; a ``::uuid`` cast also accepts braces and missing hyphens."""
    if typed:
        match = _UUID.fullmatch(text.strip())
        return "-".join(match.groups()).lower() if match else None
    return text.lower() if _UUID_STRICT.fullmatch(text) else None


_TRUE = frozenset({"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"})
_FALSE = frozenset({"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"})


def boolean_value(text: str) -> bool | None:
    """What ``boolin`` makes of ``text`` (``'t'``, ``'yes'``, ``'0'``…), or None."""
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None
