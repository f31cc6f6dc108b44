"""One spelling for table storage parameters (``WITH (fillfactor = 90)``), on both sides.

PostgreSQL keeps a reloption's value as it was written (``autovacuum_enabled=off`` stays
``off``), so values are compared in one canonical text: names in lower case, booleans as
``true`` / ``false``, numbers as Python prints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

_TRUE = frozenset({"true", "on", "yes"})
_FALSE = frozenset({"false", "off", "no"})


def option_value(value: object) -> str:
    """The canonical text of one storage parameter's value (``True``/``on`` → ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    lowered = text.lower()
    if lowered in _TRUE:
        return "true"
    if lowered in _FALSE:
        return "false"
    return _number(lowered) or lowered


def _number(text: str) -> str | None:
    """A number's one spelling (``-0.70`` and ``-0.7``, ``1.0`` and ``1``), None for a word."""
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def option_texts(options: Iterable[str] | Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The same options as written, in their order (``autovacuum_enabled=off`` stays ``off``):
    PostgreSQL keeps a reloption as text and ``pg_dump`` prints it so, so DDL writes these."""
    if isinstance(options, Mapping):
        return tuple((str(name).lower(), _text(value)) for name, value in options.items())
    return tuple((name.lower(), value) for name, _, value in (item.partition("=") for item in options))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def written_options(
    canonical: tuple[tuple[str, str], ...], text: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """The pairs to write for ``canonical``: ``text`` (as declared, in its order) when it says
    the same, else ``canonical`` (an object built otherwise than from its declaration)."""
    return text if text and option_pairs(dict(text)) == canonical else canonical


def option_pairs(options: Iterable[str] | Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """``["fillfactor=90", …]`` (as pg_class.reloptions holds them) or ``{fillfactor: 90}`` →
    sorted ``(name, canonical value)`` pairs."""
    if not options:  # most columns, indexes and tables (tens of thousands of calls)
        return ()
    if isinstance(options, Mapping):
        pairs = [(str(name).lower(), option_value(value)) for name, value in options.items()]
    else:
        pairs = []
        for item in options:
            name, _, value = item.partition("=")
            pairs.append((name.lower(), option_value(value)))
    return tuple(sorted(pairs))
