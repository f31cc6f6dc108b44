"""SQL of the ways existing rows change type: the USING expression of ``ALTER COLUMN … TYPE``,
and, for ``convert: regenerate``, the statements that carry the new key values to the foreign
keys that reference it.

Every guarded conversion (``on_invalid: null``) tests a value before casting it, in nested CASEs
(PostgreSQL does not promise the order in which AND evaluates its operands), so it never raises
mid-apply. The same tests are exported for the probes that count, while planning, the values a
conversion would turn into NULL.
"""

from __future__ import annotations

from pgreconcile.diff.changes import AlterColumn
from pgreconcile.normalize.types import base_of
from pgreconcile.quoting import ident, literal, qualified

_UUID = r"^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$"
_INTEGER = r"^\s*[+-]?[0-9]{1,19}\s*$"
_NUMERIC = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?\s*$"
_BOOLEAN = r"^\s*(t|tr|tru|true|f|fa|fal|fals|false|y|ye|yes|n|no|on|of|off|1|0)\s*$"
_RANGES = {
    "smallint": ("-32768", "32767"),
    "integer": ("-2147483648", "2147483647"),
    "bigint": ("-9223372036854775808", "9223372036854775807"),
}


def valid_value(text_sql: str, target: str) -> str | None:
    """An SQL condition that is true when ``text_sql`` (a text expression) converts to
    ``target`` without error, safe to evaluate on any text; None for targets it cannot test.
    Integers are range-checked in a nested CASE, after the pattern has matched."""
    base = base_of(target)
    if base == "uuid":
        return f"{text_sql} ~* {literal(_UUID)}"
    if base in _RANGES:
        low, high = _RANGES[base]
        return (
            f"CASE WHEN {text_sql} ~ {literal(_INTEGER)} "
            f"THEN btrim({text_sql})::numeric BETWEEN {low} AND {high} ELSE false END"
        )
    if base == "numeric":
        return f"{text_sql} ~ {literal(_NUMERIC)}"
    if base == "boolean":
        return f"{text_sql} ~* {literal(_BOOLEAN)}"
    return None


def temp_column(column: str) -> str:
    """The name of the scratch column that carries a regenerated key's new values (63 bytes max)."""
    return f"pgreconcile_new_{column}".encode()[:63].decode("utf-8", "ignore")


def using_expression(change: AlterColumn) -> str | None:
    """The USING expression for a type change, or None for PostgreSQL's own cast."""
    column = ident(change.old.name)
    new_type = change.new.type
    if change.parent is not None:
        return ident(temp_column(change.old.name))
    conv = change.conversion
    if conv is None:
        return None
    if conv.regenerate:
        return ident(temp_column(change.old.name))
    if conv.using is not None:
        return conv.using
    if conv.time_zone is not None:
        # timestamp → timestamptz reads the naive value in the zone; timestamptz → timestamp
        # gives the wall-clock time in the zone. The same expression does both.
        return f"{column} AT TIME ZONE {literal(conv.time_zone)}"
    if conv.from_unit is not None:
        seconds = column if conv.from_unit == "epoch_seconds" else f"{column} / 1000.0"
        value = f"to_timestamp({seconds})"
        return value if base_of(new_type) == "timestamp with time zone" else f"{value} AT TIME ZONE 'UTC'"
    if conv.on_invalid == "null":
        text = f"{column}::text"
        test = valid_value(text, new_type)
        # The planner only accepts on_invalid for testable targets (diff.conversions).
        return f"CASE WHEN {test} THEN btrim({text})::{new_type} END"
    return f"{column}::{new_type}"  # on_invalid: fail — the probe refused the plan if any value fails


def regenerate_prepare(change: AlterColumn) -> list[str]:
    """Before a key is regenerated: give every row its new uuid in a scratch column, and copy it
    to a scratch column of every referencing table, joined on the old value."""
    table = qualified(change.schema, change.table_name)
    key = ident(change.old.name)
    scratch = ident(temp_column(change.old.name))
    out = [f"ALTER TABLE {table} ADD COLUMN {scratch} uuid NOT NULL DEFAULT gen_random_uuid()"]
    for schema, name, column in change.children:
        child = qualified(schema, name)
        child_scratch = ident(temp_column(column))
        out.append(f"ALTER TABLE {child} ADD COLUMN {child_scratch} uuid")
        out.append(
            f"UPDATE {child} AS c SET {child_scratch} = p.{scratch} FROM {table} AS p "
            f"WHERE p.{key} = c.{ident(column)}"
        )
    return out


def scratch_cleanup(change: AlterColumn) -> list[str]:
    """After a regenerated key or a column following one: drop the scratch column."""
    if change.parent is None and not (change.conversion and change.conversion.regenerate):
        return []
    table = qualified(change.schema, change.table_name)
    return [f"ALTER TABLE {table} DROP COLUMN {ident(temp_column(change.old.name))}"]
