"""SQL of the ways existing rows change type: the USING expression of ``ALTER COLUMN … TYPE``,
and, for ``convert: regenerate``, the statements that carry the new key values to the foreign
keys that reference it.

Every guarded conversion (``on_invalid: null``) tests a value before casting it, with the same
exact checks the probes count rejected values with (:mod:`pgreconcile.probe.conversions`), so it
never raises mid-apply and the plan's count is the number of values that become NULL.
"""

from __future__ import annotations

from pgreconcile.diff.changes import AlterColumn
from pgreconcile.diff.conversions import TEXTUAL, assignment_castable
from pgreconcile.normalize.types import base_of
from pgreconcile.quoting import ident, literal, qualified

# The checks are the probes' own, in the form every supported PostgreSQL runs (no
# pg_input_is_valid): the plan counts exactly the values the apply turns into NULL.
_PORTABLE_CHECKS = 150000


def guarded_cast(column_sql: str, old: str, new: str) -> str | None:
    """``column_sql`` cast to ``new`` where its text converts, NULL elsewhere; safe on any value
    (None when no exact check exists for ``old`` → ``new``)."""
    from pgreconcile.probe.conversions import check_for  # only a guarded conversion needs it

    check = check_for(column_sql, old, new, server_version=_PORTABLE_CHECKS, labels=None)
    if isinstance(check, str):
        return None
    # Values the check cannot decide (`unsure`) are not cast: they become NULL, never an error.
    return f"CASE WHEN {check.valid} THEN ({column_sql})::{new} END"


def nulls_only_using(column: str, new_type: str) -> str:
    """NULL of ``new_type`` for a NULL; an error for any other value. Planned when the probe found
    no other value: one written since then must fail the apply, not become NULL. Its text cast to
    integer never parses (it starts with words) and names the column; it depends on the row, so
    PostgreSQL cannot fold it into an error raised before any row is read."""
    message = literal(f"pgreconcile: {column} was planned holding only NULLs, but holds ")
    return f"CASE WHEN {column} IS NULL OR ({message} || {column}::text)::integer IS NULL THEN NULL::{new_type} END"


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
    if conv is None and change.via_text:
        return f"{column}::text::{new_type}"  # one enum to another: by label
    if conv is None and change.nulls_only:
        return nulls_only_using(column, new_type)
    if conv is None:
        # PostgreSQL's own cast, but only an assignment cast runs without USING (text → enum
        # needs the explicit one): a plan never holds a statement that cannot run.
        return None if assignment_castable(change.old.type, new_type) else f"{column}::{new_type}"
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
        # The planner accepts on_invalid: null only where an exact check exists (diff.conversions).
        return guarded_cast(column, change.old.type, new_type)
    # on_invalid: fail — PostgreSQL's cast (the probe refuses the plan while any value fails).
    # Between text types the assignment cast (no USING) is the one that fails on a value that is
    # too long; an explicit `::varchar(n)` would cut it silently.
    if base_of(change.old.type) in TEXTUAL and base_of(new_type) in TEXTUAL:
        return None
    return f"{column}::{new_type}"


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
