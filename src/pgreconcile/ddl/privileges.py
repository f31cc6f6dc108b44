"""SQL for privileges and publications: GRANT / REVOKE, OWNER TO, ALTER DEFAULT PRIVILEGES,
CREATE / ALTER / DROP PUBLICATION."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.privilege_changes import AlterDefaultPrivileges, GrantPrivileges, RevokePrivileges, SetOwner
from pgreconcile.diff.publications import AlterPublication, CreatePublication, DropPublication
from pgreconcile.diff.roles import CreateRole
from pgreconcile.model.privileges import (
    EVERY_SCHEMA,
    KIND_PRIVILEGES,
    PUBLIC,
    ROUTINE_KINDS,
    Grant,
    GrantKind,
    GrantTarget,
    Publication,
    PublishedTable,
    owner_differs,
)
from pgreconcile.quoting import ident, ident_list, literal, qualified

# What GRANT … ON and ALTER … OWNER TO call each kind (GRANT names every relation TABLE, and an
# aggregate FUNCTION: it has no GRANT … ON AGGREGATE).
_ON: dict[GrantKind, str] = {
    GrantKind.SCHEMA: "SCHEMA",
    GrantKind.SEQUENCE: "SEQUENCE",
    GrantKind.FUNCTION: "FUNCTION",
    GrantKind.PROCEDURE: "PROCEDURE",
    GrantKind.AGGREGATE: "FUNCTION",
    GrantKind.TYPE: "TYPE",
}
_ALTER: dict[GrantKind, str] = {
    GrantKind.SCHEMA: "SCHEMA",
    GrantKind.TABLE: "TABLE",
    GrantKind.VIEW: "VIEW",
    GrantKind.MATERIALIZED_VIEW: "MATERIALIZED VIEW",
    GrantKind.FOREIGN_TABLE: "FOREIGN TABLE",
    GrantKind.SEQUENCE: "SEQUENCE",
    GrantKind.FUNCTION: "FUNCTION",
    GrantKind.PROCEDURE: "PROCEDURE",
    GrantKind.AGGREGATE: "AGGREGATE",
    GrantKind.TYPE: "TYPE",
}


def role_sql(role: str) -> str:
    """A grantee: PUBLIC is a keyword, never quoted; every other name is an identifier."""
    return "PUBLIC" if role == PUBLIC else ident(role)


def object_sql(target: GrantTarget) -> str:
    """The object after ON (or after ALTER <kind>): ``public.notes``, ``public.f(integer, text)``."""
    if target.kind is GrantKind.SCHEMA:
        return ident(target.name)
    name = qualified(target.schema or "", target.name)
    if target.kind in ROUTINE_KINDS:
        # Argument types are canonical type text (format_type), which is SQL.
        return f"{name}({', '.join(target.args)})"
    return name


def _on(target: GrantTarget) -> str:
    return f"{_ON.get(target.kind, 'TABLE')} {object_sql(target)}"


def _privileges(target: GrantTarget, privileges: Iterable[str]) -> str:
    order = KIND_PRIVILEGES.get(target.kind, ())
    ranked = sorted(set(privileges), key=lambda p: (order.index(p) if p in order else len(order), p))
    words = [p.upper() for p in ranked]
    if target.kind is GrantKind.COLUMN:
        column = ident(target.column or "")
        return ", ".join(f"{w} ({column})" for w in words)
    return ", ".join(words)


def _by_role(grants: Iterable[Grant]) -> list[tuple[str, bool, list[str]]]:
    """(grantee, grant option, privileges) groups, in a stable order."""
    groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
    for g in grants:
        groups[(g.grantee, g.grantable)].append(g.privilege)
    return [(role, option, privs) for (role, option), privs in sorted(groups.items())]


def grant_statements(target: GrantTarget, grants: Iterable[Grant]) -> list[str]:
    """GRANT statements giving ``grants`` on ``target`` (one per grantee and grant option)."""
    out = []
    for role, option, privs in _by_role(grants):
        text = f"GRANT {_privileges(target, privs)} ON {_on(target)} TO {role_sql(role)}"
        out.append(text + (" WITH GRANT OPTION" if option else ""))
    return out


@statements.register
def _(change: GrantPrivileges) -> list[str]:
    return grant_statements(change.target, change.grants)


@statements.register
def _(change: RevokePrivileges) -> list[str]:
    target = change.target
    out = []
    for role, _option, privs in _by_role(change.options):
        out.append(f"REVOKE GRANT OPTION FOR {_privileges(target, privs)} ON {_on(target)} FROM {role_sql(role)}")
    merged: dict[str, list[str]] = defaultdict(list)
    for g in change.grants:
        merged[g.grantee].append(g.privilege)
    for role, privs in sorted(merged.items()):
        out.append(f"REVOKE {_privileges(target, privs)} ON {_on(target)} FROM {role_sql(role)}")
    return out


@statements.register
def _(change: SetOwner) -> list[str]:
    target = change.target
    name = object_sql(target)
    if target.kind is GrantKind.AGGREGATE and not target.args:
        name = name.removesuffix("()") + "(*)"  # ALTER AGGREGATE writes no argument as `*`
    return [f"ALTER {_ALTER[target.kind]} {name} OWNER TO {ident(change.owner)}"]


@statements.register
def _(change: AlterDefaultPrivileges) -> list[str]:
    # No role: the planner did not know the applying role (an offline plan); PostgreSQL takes it.
    who = f" FOR ROLE {ident(change.role)}" if change.role else ""
    # Database-wide entries (no schema) name none.
    where = f" IN SCHEMA {ident(change.schema)}" if change.schema != EVERY_SCHEMA else ""
    head = f"ALTER DEFAULT PRIVILEGES{who}{where}"
    objects = str(change.objects).upper()
    out = []
    merged: dict[str, list[str]] = defaultdict(list)
    for g in change.revokes:
        merged[g.grantee].append(g.privilege)
    for role, privs in sorted(merged.items()):
        out.append(f"{head} REVOKE {', '.join(p.upper() for p in sorted(privs))} ON {objects} FROM {role_sql(role)}")
    for role, option, privs in _by_role(change.grants):
        text = f"{head} GRANT {', '.join(p.upper() for p in sorted(privs))} ON {objects} TO {role_sql(role)}"
        out.append(text + (" WITH GRANT OPTION" if option else ""))
    return out


# --- publications ------------------------------------------------------------------------------


def _published_table(table: PublishedTable) -> str:
    text = qualified(table.schema, table.name)
    if table.columns is not None:
        text += f" ({ident_list(table.columns)})"
    if table.where is not None:
        text += f" WHERE ({table.where})"
    return text


def _objects(pub: Publication) -> str:
    # One TABLE keyword for the whole list, one TABLES IN SCHEMA for the schemas: PostgreSQL 14
    # takes only `TABLE a, b` (`TABLE a, TABLE b` is 15's grammar, which reads the bare form too).
    parts = []
    if pub.tables:
        parts.append("TABLE " + ", ".join(_published_table(t) for t in pub.tables))
    if pub.schemas:
        parts.append("TABLES IN SCHEMA " + ", ".join(ident(s) for s in pub.schemas))
    return ", ".join(parts)


def _options(pub: Publication) -> str:
    publish = ", ".join(str(op) for op in pub.publish)
    return f"publish = {literal(publish)}, publish_via_partition_root = {'true' if pub.via_partition_root else 'false'}"


def _comment(pub: Publication) -> str:
    return f"COMMENT ON PUBLICATION {ident(pub.name)} IS {literal(pub.comment)}"


def _owner(pub: Publication) -> str:
    return f"ALTER PUBLICATION {ident(pub.name)} OWNER TO {ident(pub.owner or '')}"


@statements.register
def _(change: CreatePublication) -> list[str]:
    pub = change.publication
    text = f"CREATE PUBLICATION {ident(pub.name)}"
    if pub.all_tables:
        text += " FOR ALL TABLES"
    elif pub.tables or pub.schemas:
        text += f" FOR {_objects(pub)}"
    out = [f"{text} WITH ({_options(pub)})"]
    if pub.comment is not None:
        out.append(_comment(pub))
    if pub.owner is not None:
        out.append(_owner(pub))
    return out


@statements.register
def _(change: DropPublication) -> list[str]:
    return [f"DROP PUBLICATION {ident(change.publication.name)}"]


@statements.register
def _(change: AlterPublication) -> list[str]:
    old, new = change.old, change.new
    name = ident(new.name)
    out = []
    if change.tables_changed and not new.all_tables:
        if new.tables or new.schemas:
            out.append(f"ALTER PUBLICATION {name} SET {_objects(new)}")
        else:
            # SET needs at least one object: an emptied publication drops what it had.
            emptied = dataclasses.replace(old, tables=tuple(
                dataclasses.replace(t, columns=None, where=None) for t in old.tables))
            out.append(f"ALTER PUBLICATION {name} DROP {_objects(emptied)}")
    if (old.publish, old.via_partition_root) != (new.publish, new.via_partition_root):
        out.append(f"ALTER PUBLICATION {name} SET ({_options(new)})")
    if old.comment != new.comment:
        out.append(_comment(new))
    if owner_differs(new.owner, old.owner):
        out.append(_owner(new))
    return out



@statements.register
def _(change: CreateRole) -> list[str]:
    return [f"CREATE ROLE {ident(change.role.name)} {'LOGIN' if change.role.login else 'NOLOGIN'}"]
