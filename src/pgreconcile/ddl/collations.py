"""``CREATE / DROP COLLATION`` and ``COMMENT ON COLLATION`` (see :mod:`pgreconcile.diff.collations`)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.collations import CreateCollation, DropCollation, SetCollationComment
from pgreconcile.model.collations import Collation
from pgreconcile.quoting import literal, qualified


def _comment(collation: Collation, text: str | None) -> str:
    return f"COMMENT ON COLLATION {qualified(collation.schema, collation.name)} IS {literal(text)}"


@statements.register
def _(change: CreateCollation) -> list[str]:
    c = change.collation
    options = [f"provider = {c.provider}"]
    if c.provider == "libc":
        options += [f"lc_collate = {literal(c.lc_collate)}", f"lc_ctype = {literal(c.lc_ctype)}"]
    else:
        options.append(f"locale = {literal(c.locale)}")
    if not c.deterministic:
        options.append("deterministic = false")
    if c.rules is not None:
        options.append(f"rules = {literal(c.rules)}")
    out = [f"CREATE COLLATION {qualified(c.schema, c.name)} ({', '.join(options)})"]
    if c.comment is not None:
        out.append(_comment(c, c.comment))
    return out


@statements.register
def _(change: DropCollation) -> list[str]:
    return [f"DROP COLLATION {qualified(change.collation.schema, change.collation.name)}"]


@statements.register
def _(change: SetCollationComment) -> list[str]:
    return [_comment(change.collation, change.collation.comment)]
