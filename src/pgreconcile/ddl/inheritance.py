"""Renderers for the inheritance changes (diff.inheritance_changes)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.inheritance_changes import InheritTable, NoInheritTable
from pgreconcile.quoting import qualified


@statements.register
def _(change: InheritTable) -> list[str]:
    return [f"ALTER TABLE {qualified(change.schema, change.table_name)} INHERIT {qualified(*change.parent)}"]


@statements.register
def _(change: NoInheritTable) -> list[str]:
    return [f"ALTER TABLE {qualified(change.schema, change.table_name)} NO INHERIT {qualified(*change.parent)}"]
