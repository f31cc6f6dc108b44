"""SQL that moves absorbed columns into a JSONB group."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.group_changes import AbsorbColumns
from pgreconcile.quoting import ident, literal, qualified


@statements.register
def _(change: AbsorbColumns) -> list[str]:
    group = ident(change.group)
    pairs = ", ".join(f"{literal(c)}, {ident(c)}" for c in change.columns)
    # Keys whose value is NULL are left out (only at the top level: a jsonb value keeps its own
    # nested nulls), and rows with nothing to move are not written at all.
    moved = (
        "(SELECT jsonb_object_agg(e.key, e.value) "
        f"FROM jsonb_each(jsonb_build_object({pairs})) AS e WHERE e.value <> 'null'::jsonb)"
    )
    columns = ", ".join(ident(c) for c in change.columns)
    return [
        f"UPDATE {qualified(change.schema, change.table_name)} SET {group} = {group} || {moved} "
        f"WHERE num_nonnulls({columns}) > 0"
    ]
