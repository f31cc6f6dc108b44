"""Sequences: standalone counters, the ones a ``serial`` column owns, and the options of the
sequence behind an identity column.

A sequence's options are always held resolved (``start``, ``min_value`` and ``max_value``
filled the way PostgreSQL fills what ``CREATE SEQUENCE`` leaves out), so a declaration that
writes only ``increment: 10`` compares equal to the live sequence PostgreSQL made of it.
The current value is data: never compared, and reset only where nothing was ever drawn from
the sequence and its range narrows past where it stands (see :func:`restarts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.origin import Origin

# The value range of each type a sequence can be (``AS smallint | integer | bigint``).
TYPE_RANGES: dict[str, tuple[int, int]] = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}

# The pseudo-types that declare an integer column with its own sequence.
SERIAL_TYPES: dict[str, str] = {
    "smallserial": "smallint",
    "serial2": "smallint",
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
}


@dataclass(frozen=True, slots=True)
class SequenceOptions:
    """The options of ``CREATE SEQUENCE`` (and of an identity column), resolved.

    Build one with :func:`sequence_options`, which fills what was left out as PostgreSQL does."""

    type: str = "bigint"
    start: int = 1
    increment: int = 1
    min_value: int = 1
    max_value: int = 2**63 - 1
    cache: int = 1
    cycle: bool = False
    # The counter, read only when a plan narrows the live range (catalog/counters.py), never
    # compared: whether it could be read, and the last value drawn (None: none drawn yet).
    counter_read: bool = field(default=False, compare=False)
    last_drawn: int | None = field(default=None, compare=False)


def narrows(old: SequenceOptions, new: SequenceOptions) -> bool:
    """Whether ``new`` moves a bound of ``old`` inwards: PostgreSQL then checks that the counter
    (the last value drawn, or the start when none was) still lies within."""
    return new.min_value > old.min_value or new.max_value < old.max_value


def restarts(old: SequenceOptions, new: SequenceOptions) -> bool:
    """Whether moving ``old`` (live, counter read) to ``new`` needs a ``RESTART``: the range
    narrows, and nothing was ever drawn, so the counter still stands at a start the new range
    may exclude. Restarting it at the new start loses nothing (a new sequence starts there)."""
    return narrows(old, new) and old.counter_read and old.last_drawn is None


def stranded(old: SequenceOptions, new: SequenceOptions) -> bool:
    """Whether values were drawn and the last lies outside ``new``'s range: PostgreSQL refuses
    the change, and restarting would hand out values again."""
    last = old.last_drawn
    return narrows(old, new) and last is not None and not new.min_value <= last <= new.max_value


def sequence_options(
    type: str = "bigint",
    *,
    start: int | None = None,
    increment: int = 1,
    min_value: int | None = None,
    max_value: int | None = None,
    cache: int = 1,
    cycle: bool = False,
) -> SequenceOptions:
    """Options with PostgreSQL's defaults for what is None: an ascending sequence runs from 1 to
    the type's maximum, a descending one from -1 down to the type's minimum, and starts at the
    end it counts from."""
    low, high = TYPE_RANGES.get(type, TYPE_RANGES["bigint"])
    if min_value is None:
        min_value = 1 if increment > 0 else low
    if max_value is None:
        max_value = high if increment > 0 else -1
    if start is None:
        start = min_value if increment > 0 else max_value
    return SequenceOptions(type, start, increment, min_value, max_value, cache, cycle)


@dataclass(frozen=True, slots=True)
class Sequence:
    """A sequence. ``owned_by`` is ``(table, column)`` in the sequence's own schema (PostgreSQL
    requires that): the sequence goes when that column or its table goes, as a serial's does.
    ``unlogged`` (PostgreSQL 15+): not WAL-logged, reset after a crash, as an unlogged table is;
    a table's ``SET LOGGED`` / ``SET UNLOGGED`` carries the sequences its columns own along."""

    schema: str
    name: str
    options: SequenceOptions = SequenceOptions()
    owned_by: tuple[str, str] | None = None
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    unlogged: bool = False

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def serial_sequence_name(table: str, column: str) -> str:
    """The name PostgreSQL gives a serial column's sequence: ``<table>_<column>_seq``, with the
    longer of the two names cut first so that the whole fits in 63 bytes (as its
    ``makeObjectName`` does; a clash with an existing name is not guessed)."""
    table_bytes, column_bytes = table.encode(), column.encode()
    overflow = len(table_bytes) + len(column_bytes) + len("__seq") - 63
    while overflow > 0:
        if len(table_bytes) > len(column_bytes):
            table_bytes = table_bytes[:-1]
        else:
            column_bytes = column_bytes[:-1]
        overflow -= 1
    return f"{_clip(table_bytes)}_{_clip(column_bytes)}_seq"


def _clip(data: bytes) -> str:
    # Never cut a multibyte character in half (PostgreSQL's pg_mbcliplen).
    return data.decode("utf-8", errors="ignore")
