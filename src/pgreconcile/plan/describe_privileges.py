"""How privilege and publication changes read in a plan (registered on :func:`describe`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pgreconcile.diff.privilege_changes import AlterDefaultPrivileges, GrantPrivileges, RevokePrivileges, SetOwner
from pgreconcile.diff.publications import (
    AlterPublication,
    CreatePublication,
    DropPublication,
    same_tables,
)
from pgreconcile.diff.roles import CreateRole
from pgreconcile.model.privileges import EVERY_SCHEMA, Grant, GrantKind, GrantTarget, Publication, owner_differs
from pgreconcile.plan.describe import describe


def grants_summary(grants: Iterable[Grant]) -> str:
    """``select, insert to anon; usage to authenticated (with grant option)``."""
    groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for g in sorted(grants):
        groups[(g.grantee, g.grantable)].append(g.privilege)
    parts = []
    for (role, option), privs in sorted(groups.items()):
        parts.append(f"{', '.join(privs)} to {role}" + (" (with grant option)" if option else ""))
    return "; ".join(parts)


def _where(target: GrantTarget) -> str:
    # Under a table's heading, a table's own grants need no name; a column's name its column.
    if target.kind is GrantKind.TABLE:
        return ""
    if target.kind is GrantKind.COLUMN:
        return f" on column {target.column}"
    return f" on {target.label}"


@describe.register
def _(c: GrantPrivileges) -> tuple[str, tuple[str, ...]]:
    return f"grant{_where(c.target)}: {grants_summary(c.grants)}", ()


@describe.register
def _(c: RevokePrivileges) -> tuple[str, tuple[str, ...]]:
    parts = []
    if c.grants:
        parts.append(grants_summary(c.grants))
    if c.options:
        parts.append("grant option of " + grants_summary(_without_option(c.options)))
    return f"grant{_where(c.target)}: {'; '.join(parts)}", ()


def _without_option(grants: Iterable[Grant]) -> list[Grant]:
    return [Grant(g.grantee, g.privilege) for g in grants]


@describe.register
def _(c: SetOwner) -> tuple[str, tuple[str, ...]]:
    return f"owner of {c.target.label}: {c.old or 'none'} → {c.owner}", ()


@describe.register
def _(c: AlterDefaultPrivileges) -> tuple[str, tuple[str, ...]]:
    parts = []
    if c.grants:
        parts.append("+ " + grants_summary(c.grants))
    if c.revokes:
        parts.append("- " + grants_summary(c.revokes))
    where = f"in schema {c.schema}" if c.schema != EVERY_SCHEMA else "in every schema"
    return f"default privileges on {c.objects} created by {c.role} {where}: {'; '.join(parts)}", ()


def publication_summary(pub: Publication) -> str:
    """``publication p for tables public.a (id, body) where (…), schema s; publish insert, update``."""
    if pub.all_tables:
        what = "all tables"
    else:
        items = []
        for t in pub.tables:
            text = f"{t.schema}.{t.name}"
            if t.columns is not None:
                text += f" ({', '.join(t.columns)})"
            if t.where is not None:
                text += f" where ({' '.join(t.where.split())})"
            items.append(text)
        items += [f"tables in schema {s}" for s in pub.schemas]
        what = ", ".join(items) or "no tables"
    text = f"publication {pub.name} for {what}; publish {', '.join(pub.publish) or 'nothing'}"
    if pub.via_partition_root:
        text += "; via partition root"
    return text


@describe.register
def _(c: CreatePublication) -> tuple[str, tuple[str, ...]]:
    return publication_summary(c.publication), ()


@describe.register
def _(c: DropPublication) -> tuple[str, tuple[str, ...]]:
    return publication_summary(c.publication), ()


@describe.register
def _(c: AlterPublication) -> tuple[str, tuple[str, ...]]:
    details = []
    if not same_tables(c.old.tables, c.new.tables) or c.old.schemas != c.new.schemas:
        details.append(f"was: {publication_summary(c.old)}")
    if c.old.comment != c.new.comment:
        details.append(f"comment → {c.new.comment!r}")
    if owner_differs(c.new.owner, c.old.owner):
        details.append(f"owner {c.old.owner} → {c.new.owner}")
    return publication_summary(c.new), tuple(details)


@describe.register
def _(c: CreateRole) -> tuple[str, tuple[str, ...]]:
    # Roles belong to the server: say so, and that nothing will ever drop it again.
    login = "can log in" if c.role.login else "cannot log in"
    return f"role {c.role.name} ({login}; server-wide, never dropped by pgreconcile)", ()
