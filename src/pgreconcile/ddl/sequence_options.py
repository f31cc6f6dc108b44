"""Option clauses shared by CREATE SEQUENCE, identity columns and table storage parameters."""

from __future__ import annotations

from pgreconcile.model.sequences import SequenceOptions, sequence_options
from pgreconcile.quoting import ident, literal


def option_clauses(options: SequenceOptions, *, with_type: bool = True) -> list[str]:
    """The clauses of ``CREATE SEQUENCE`` (or of an identity's ``( … )``) that differ from the
    defaults: ``AS integer``, ``INCREMENT BY 10``, ``START WITH 1000`` …"""
    o = options
    defaults = sequence_options(o.type, increment=o.increment)
    clauses = [f"AS {o.type}"] if with_type and o.type != "bigint" else []
    if o.increment != 1:
        clauses.append(f"INCREMENT BY {o.increment}")
    if o.min_value != defaults.min_value:
        clauses.append(f"MINVALUE {o.min_value}")
    if o.max_value != defaults.max_value:
        clauses.append(f"MAXVALUE {o.max_value}")
    start = sequence_options(o.type, increment=o.increment, min_value=o.min_value, max_value=o.max_value).start
    if o.start != start:
        clauses.append(f"START WITH {o.start}")
    if o.cache != 1:
        clauses.append(f"CACHE {o.cache}")
    if o.cycle:
        clauses.append("CYCLE")
    return clauses


def changed_clauses(old: SequenceOptions, new: SequenceOptions) -> list[str]:
    """The clauses of ``ALTER SEQUENCE`` (or ``ALTER COLUMN … SET …`` of an identity) that turn
    ``old`` into ``new``. Changing the type states the bounds too: PostgreSQL would otherwise
    move bounds that were the old type's defaults."""
    clauses = [f"AS {new.type}"] if new.type != old.type else []
    if new.increment != old.increment:
        clauses.append(f"INCREMENT BY {new.increment}")
    if new.min_value != old.min_value or new.type != old.type:
        clauses.append(f"MINVALUE {new.min_value}")
    if new.max_value != old.max_value or new.type != old.type:
        clauses.append(f"MAXVALUE {new.max_value}")
    if new.start != old.start:
        clauses.append(f"START WITH {new.start}")
    if new.cache != old.cache:
        clauses.append(f"CACHE {new.cache}")
    if new.cycle != old.cycle:
        clauses.append("CYCLE" if new.cycle else "NO CYCLE")
    return clauses


def storage_parameters(options: tuple[tuple[str, str], ...]) -> str:
    """``fillfactor = 90, autovacuum_enabled = false`` for ``WITH (…)`` / ``SET (…)``: names
    quoted as identifiers, values as literals unless they are plain numbers or words."""
    return ", ".join(f"{ident(name)} = {_parameter_value(value)}" for name, value in options)


def _parameter_value(value: str) -> str:
    plain = value.replace(".", "", 1).lstrip("-").isdigit() or value in ("true", "false")
    return value if plain else literal(value)
