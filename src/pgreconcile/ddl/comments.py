"""``COMMENT ON INDEX / CONSTRAINT / POLICY`` (see :mod:`pgreconcile.diff.sub_comments`)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.sub_comments import INDEX, KEY_INDEX, SetSubComment
from pgreconcile.quoting import ident, literal, qualified


@statements.register
def _(change: SetSubComment) -> list[str]:
    if change.what in (INDEX, KEY_INDEX):
        target = f"INDEX {qualified(change.schema, change.name)}"
    else:  # a constraint or a policy is named on its table
        target = f"{change.what.upper()} {ident(change.name)} ON {qualified(change.schema, change.table_name)}"
    return [f"COMMENT ON {target} IS {literal(change.new)}"]
