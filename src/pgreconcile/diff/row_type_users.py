"""Tables whose row type another table's column uses (``origin other_table``, ``corners
other_table[]``).

PostgreSQL refuses to rewrite such a table while the column exists: a column type change, and a
new column with a default or a stored generated column, fail with SQLSTATE 0A000 ("cannot alter
table … because column … uses its row type"); adding a plain column, a CHECK or a NOT NULL does
not. Refused while planning, naming the columns, rather than failing mid-apply. A using column
the plan drops is not counted (drops come first); one it retypes is (no order is promised
between the two type changes: change that column in a plan of its own)."""

from __future__ import annotations

from pgreconcile.diff.changes import AddColumn, AlterColumn, Change, DropColumn
from pgreconcile.model import Schema
from pgreconcile.normalize.types import base_of, qualified_type


def row_type_refusals(desired: Schema, live: Schema, changes: list[Change]) -> list[str]:
    """What the plan would alter in a table whose row type a live column keeps using."""
    rewrites = [
        c for c in changes
        if (isinstance(c, AlterColumn) and c.type_changed)
        or (isinstance(c, AddColumn) and (c.column.default is not None or c.column.generated is not None))
    ]
    if not rewrites:
        return []
    users = _users(desired, live, changes)
    out: list[str] = []
    for change in rewrites:
        using = users.get(qualified_type(change.schema, change.table_name))
        if not using:
            continue
        column = change.column.name if isinstance(change, AddColumn) else change.old.name
        what = "change the type of" if isinstance(change, AlterColumn) else "add"
        out.append(
            f"table {change.schema}.{change.table_name}: PostgreSQL cannot {what} its column {column} while "
            f"{', '.join(using)} {'uses' if len(using) == 1 else 'use'} the table's row type (\"cannot alter table "
            "… because column … uses its row type\"). Change the type of those columns first (or drop them), "
            "then plan again"
        )
    return out


def _users(desired: Schema, live: Schema, changes: list[Change]) -> dict[str, list[str]]:
    """Live columns typed by a table's row type that stay so after the plan, by the type text."""
    gone = {(c.schema, c.table_name, c.column.name) for c in changes if isinstance(c, DropColumn)}
    row_types = {qualified_type(s, n) for s, n in live.tables}
    found: dict[str, list[str]] = {}
    for (schema, name), table in sorted(live.tables.items()):
        if (schema, name) not in desired.tables:
            continue  # dropped with its columns before the table it reads is altered
        for col in table.columns:
            base = base_of(col.type)
            if base in row_types and (schema, name, col.name) not in gone:
                found.setdefault(base, []).append(f"column {col.name} of {schema}.{name}")
    return found
