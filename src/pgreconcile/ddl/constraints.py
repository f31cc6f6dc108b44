"""SQL of the in-place constraint change: VALIDATE CONSTRAINT."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.constraint_changes import ValidateConstraint
from pgreconcile.quoting import ident, qualified


@statements.register
def _(change: ValidateConstraint) -> list[str]:
    table = qualified(change.schema, change.table_name)
    return [f"ALTER TABLE {table} VALIDATE CONSTRAINT {ident(change.constraint.name)}"]
