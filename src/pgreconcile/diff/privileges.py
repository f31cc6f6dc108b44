"""Compare grants, owners and default privileges of the declared objects with the live ones.

An object's grants are managed when its declaration says ``grants:`` (the desired schema then
holds an entry for it): the live grants to other roles than the owner become exactly the declared
ones — missing ones granted, undeclared ones revoked. Objects whose grants are not declared are
never touched. Grants read back from SQL files (``as_created``) are relative to what the object was
born with in the scratch database; the rest comes from what it is born with on the target
(:class:`_Wanted`).

An object the plan creates — new, or dropped and re-created (a ``-/+`` step, a column added
back) — starts from what PostgreSQL gives a new object: PUBLIC's defaults for its kind and the
default privileges of the role that creates it. Its declared grants are compared with that, not
with the grants of the object that was dropped, so they are issued again after the create:
grants survive every re-creation the plan makes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from pgreconcile.diff.actions import Action
from pgreconcile.diff.changes import Change, created_keys
from pgreconcile.diff.default_privileges import (
    Births,
    after_plan,
    declared_defaults,
    declared_only,
    held_by,
    managed_pairs,
)
from pgreconcile.diff.privilege_changes import AlterDefaultPrivileges, GrantPrivileges, RevokePrivileges, SetOwner
from pgreconcile.diff.rename_changes import RenameColumn, RenameEnum, RenameTable
from pgreconcile.model import Schema
from pgreconcile.model.keys import (
    column_key,
    matview_key,
    owner_key,
    schema_key,
    sequence_key,
    table_key,
    type_key,
    view_key,
)
from pgreconcile.model.privileges import (
    EVERY_SCHEMA,
    PUBLIC,
    DefaultObjects,
    Grant,
    GrantKind,
    ObjectGrants,
)
from pgreconcile.quoting import ident


def compare_privileges(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``changes`` followed by the grant, revoke, owner and default-privilege changes, and
    refusals for roles that do not exist. Objects created in a schema whose default privileges
    change wait for that change, so they are born with the declared defaults."""
    refusals = _missing_roles(desired, live)
    defaults = _default_privilege_changes(desired, live)
    changes = _after_defaults(changes, defaults)
    created = created_keys(changes)
    former = _former_keys(changes)
    births = after_plan(desired, live)
    wanted = _Wanted(births, declared_only(desired, live))
    out: list[Change] = []
    live_grants = live.grants
    declared_grants = _with_bare_columns(desired, live_grants, former)
    # First the entries that can differ at all, unsorted (a no-op plan on a schema that manages
    # grants holds one per column: 40,000 at 2,000 tables, nearly all equal or empty).
    pending: list[str] = []
    bare_columns: list[str] = []
    column = GrantKind.COLUMN
    # A relation the plan re-creates (a view re-created because a view it reads is) comes back
    # without the grants on its columns, which are not keys of their own in the plan: compare
    # each of its columns as new. (Every relation kind's create claims its table key too.)
    recreated = {k for k in created if k.startswith("table:")}
    for key, declared in declared_grants.items():
        held = live_grants.get(former.get(key, key))
        if key in created or (
            recreated
            and declared.target.kind is column
            and table_key(declared.target.schema or "", declared.target.name) in recreated
        ):
            pending.append(key)
        elif held is not None:
            if held.grants != wanted.of(declared):
                pending.append(key)
            # else: it exists (it has an ACL) and holds exactly the declared grants
        elif declared.target.kind is column and not declared.grants:
            bare_columns.append(key)  # declared with none, holding none: fine if it exists
        else:
            pending.append(key)
    columns = bare_columns or any(declared_grants[key].target.kind is column for key in pending)
    # The live tables are already renamed (diff/renames.py): their columns by their new keys.
    # Views and materialized views have columns that take grants too.
    live_columns = _live_columns(live) if columns else set()
    pending += [key for key in bare_columns if key not in live_columns]
    for key in sorted(pending):
        declared = declared_grants[key]
        held = live_grants.get(former.get(key, key))
        owner_entry = desired.owners.get(key) or live.owners.get(former.get(key, key))
        if declared.target.kind is column:
            # A view the plan re-creates lists no column keys of its own: its columns are new too.
            relation = table_key(declared.target.schema or "", declared.target.name)
            new = key in created or relation in created or key not in live_columns
        else:
            new = key in created or _absent(key, live, former)
        if new:
            current = births.of(declared.target)
            owner = owner_entry.owner if owner_entry else live.current_role
        else:
            current = held.grants if held is not None else frozenset()
            owner = owner_entry.owner if owner_entry else None
        want = _without(wanted.of(declared), owner)
        out.extend(_grant_changes(declared, _without(current, owner), want, new))
    following = _following_their_table(desired, live)
    for key, declared_owner in sorted(desired.owners.items()):
        live_owner = live.owners.get(former.get(key, key))
        # A new object belongs to the role that creates it.
        old = live.current_role if key in created or live_owner is None else live_owner.owner
        if old != declared_owner.owner and following.get(key) != declared_owner.owner:
            out.append(
                SetOwner(declared_owner.target, declared_owner.owner, old, needs=frozenset({key}),
                         creates=frozenset({owner_key(key)}), reason="declared owner")
            )
    return [*changes, *defaults, *out], refusals


def _with_bare_columns(
    desired: Schema, live: dict[str, ObjectGrants], former: dict[str, str]
) -> dict[str, ObjectGrants]:
    """The declared grants, plus an empty entry for every live column grant of a table read back
    from SQL files (``as_created``) that the files gave none: such a table declares all its
    columns' grants. Only columns holding grants are looked at (few), not every column of every
    table. A column the plan drops goes with its grants; one it renames keeps them (its new name
    has no target to revoke on here)."""
    declared = desired.grants
    renamed = set(former.values())
    extra: dict[str, ObjectGrants] = {}
    for key, held in live.items():
        target = held.target
        if target.kind is not GrantKind.COLUMN or key in declared or key in renamed:
            continue
        relation = (target.schema or "", target.name)
        entry = next((declared[k] for k in (table_key(*relation), view_key(*relation), matview_key(*relation))
                      if k in declared), None)
        if entry is None or not entry.as_created:
            continue
        if target.column in _declared_columns(desired, relation):
            extra[key] = ObjectGrants(target, frozenset(), as_created=True)
    return declared | extra if extra else declared


def _declared_columns(desired: Schema, relation: tuple[str, str]) -> set[str]:
    """The declared columns of a table, view or materialized view."""
    table = desired.tables.get(relation)
    if table is not None:
        return {c.name for c in table.columns}
    view = desired.views.get(relation) or desired.materialized_views.get(relation)
    return {name for name, _ in view.columns} if view is not None else set()


class _Wanted:
    """The grants each declared object is to hold. Most entries say so outright; grants read back
    from SQL files (``as_created``) say what the object held in the scratch database, born there
    with the declared default privileges only. Those keep what the files granted and revoked and
    take the rest from what the object is born with on the target once the plan ran: its default
    privileges (Supabase's on ``public``, say) are kept where the declarations do not manage them."""

    def __init__(self, target: Births, scratch: Births) -> None:
        self.target = target
        self.scratch = scratch

    def of(self, declared: ObjectGrants) -> frozenset[Grant]:
        if not declared.as_created or declared.target.kind is GrantKind.COLUMN:
            return declared.grants  # a column is born with nothing anywhere
        born_here = self.scratch.of(declared.target)
        born_there = self.target.of(declared.target)
        if born_here == born_there:
            return declared.grants
        granted = declared.grants - born_here
        revoked = born_here - declared.grants
        return granted | (born_there - revoked)


def _after_defaults(changes: list[Change], defaults: list[Change]) -> list[Change]:
    """``changes`` with every create in a schema whose default privileges change needing that change."""
    keys: dict[str, set[str]] = {}
    for change in defaults:
        if isinstance(change, AlterDefaultPrivileges):
            keys.setdefault(change.schema, set()).update(change.creates)
    if not keys:
        return changes
    out: list[Change] = []
    for change in changes:
        schema = _schema_of(change.key)
        if change.action in (Action.CREATE, Action.REPLACE) and (schema in keys or EVERY_SCHEMA in keys):
            needs = keys.get(schema or "", set()) | keys.get(EVERY_SCHEMA, set())
            change = dataclasses.replace(change, needs=change.needs | needs)
        out.append(change)
    return out


def _schema_of(key: str) -> str | None:
    """The schema of an object key (``table:app.notes`` → ``app``); None for schemas themselves."""
    kind, _, rest = key.partition(":")
    if kind in ("schema", "extension", "publication") or "." not in rest:
        return None
    return rest.split(".", 1)[0]


def _live_columns(live: Schema) -> set[str]:
    """The keys of every live column a grant can name: of tables (their own and inherited ones),
    views and materialized views."""
    keys = {column_key(s, n, c.name) for (s, n), t in live.tables.items() for c in (*t.columns, *t.inherited_columns)}
    relations = [(key, view.columns) for key, view in live.views.items()]
    relations += [(key, view.columns) for key, view in live.materialized_views.items()]
    for (s, n), columns in relations:
        keys.update(column_key(s, n, name) for name, _ in columns)
    return keys


def _following_their_table(desired: Schema, live: Schema) -> dict[str, str]:
    """Sequences linked to a column live that stay linked to it → the owner
    their table ends with. Such a sequence always has its table's owner: ``ALTER TABLE … OWNER``
    carries it along, and ``ALTER SEQUENCE … OWNER`` on it is refused."""
    out: dict[str, str] = {}
    for (schema, name), seq in desired.sequences.items():
        current = live.sequences.get((schema, name))
        if seq.owned_by is None or current is None or current.owned_by != seq.owned_by:
            continue
        table = table_key(schema, seq.owned_by[0])
        entry = desired.owners.get(table) or live.owners.get(table)
        if entry is not None:
            out[sequence_key(schema, name)] = entry.owner
    return out


def _absent(key: str, live: Schema, former: dict[str, str]) -> bool:
    """Whether an object other than a column does not exist live (every one has an owner)."""
    return former.get(key, key) not in live.owners


def _grant_changes(
    declared: ObjectGrants, current: frozenset[Grant], wanted: frozenset[Grant], new: bool
) -> list[Change]:
    target = declared.target
    held = {(g.grantee, g.privilege): g.grantable for g in current}
    want = {(g.grantee, g.privilege): g.grantable for g in wanted}
    # Missing, or held without the grant option that is declared.
    to_grant = frozenset(Grant(r, p, o) for (r, p), o in want.items() if (r, p) not in held or (o and not held[(r, p)]))
    # A privilege held with its grant option, declared without it, loses only the option.
    options = frozenset(Grant(r, p, True) for (r, p), o in want.items() if held.get((r, p)) is True and not o)
    to_revoke = frozenset(Grant(r, p, o) for (r, p), o in held.items() if (r, p) not in want)
    needs = {target.key}
    if target.kind is GrantKind.COLUMN:
        needs.add(table_key(target.schema or "", target.name))
    out: list[Change] = []
    if to_revoke or options:
        reason = "default privileges, not declared" if new else "not declared"
        out.append(RevokePrivileges(target, to_revoke, options, new, needs=frozenset(needs), reason=reason))
    if to_grant:
        out.append(GrantPrivileges(target, to_grant, needs=frozenset(needs)))
    return out


def _without(grants: Iterable[Grant], owner: str | None) -> frozenset[Grant]:
    """``grants`` without the owner's: its privileges are implicit, never compared."""
    return frozenset(g for g in grants if g.grantee != owner)


def _former_keys(changes: Iterable[Change]) -> dict[str, str]:
    """New key → live key for the objects the plan renames (a rename keeps grants)."""
    tables: dict[tuple[str, str], tuple[str, str]] = {}
    columns: dict[tuple[str, str, str], str] = {}
    out: dict[str, str] = {}
    for change in changes:
        if isinstance(change, RenameTable):
            tables[(change.schema, change.name)] = (change.old_schema, change.old_name)
            out[table_key(change.schema, change.name)] = table_key(change.old_schema, change.old_name)
        elif isinstance(change, RenameColumn):
            columns[(change.schema, change.table_name, change.name)] = change.old_name
        elif isinstance(change, RenameEnum):
            out[type_key(change.schema, change.name)] = type_key(change.old_schema, change.old_name)
    for (schema, table, column), old_column in columns.items():
        old_schema, old_table = tables.get((schema, table), (schema, table))
        out[column_key(schema, table, column)] = column_key(old_schema, old_table, old_column)
    return out


def _default_privilege_changes(desired: Schema, live: Schema) -> list[Change]:
    out: list[Change] = []
    declared = declared_defaults(desired, live)
    pairs = managed_pairs(desired, live, declared)
    keys = set(declared) | {k for k in live.default_privileges if (k[0], k[2]) in pairs}
    for key in sorted(keys):
        if key[0] not in desired.default_privileges_managed:
            continue
        wanted = held_by(declared, key)
        held = held_by(live.default_privileges, key)
        grants = frozenset(g for g in wanted if g not in held)
        revokes = frozenset(g for g in held if g not in wanted and not _upgraded(g, wanted))
        if grants or revokes:
            schema, objects, role = key
            needs = frozenset({schema_key(schema)}) if schema != EVERY_SCHEMA else frozenset()
            out.append(
                AlterDefaultPrivileges(schema, DefaultObjects(objects), role, grants, revokes, needs=needs,
                                       creates=frozenset({f"default privileges:{schema}"}))
            )
    return out


def _upgraded(held: Grant, wanted: frozenset[Grant]) -> bool:
    """A privilege granted again with the grant option replaces the one without it."""
    return not held.grantable and Grant(held.grantee, held.privilege, True) in wanted


def _missing_roles(desired: Schema, live: Schema) -> list[str]:
    """One refusal per role named that neither exists nor is declared (roles are server-wide:
    created only when declared, see diff/roles.py)."""
    if live.roles is None:
        return []
    roles = live.roles | desired.declared_roles.keys()
    refusals: list[str] = []
    seen: set[str] = set()

    def check(role: str, what: str, origin: object) -> None:
        if role == PUBLIC or role in roles or role in seen:
            return
        seen.add(role)
        where = f" ({origin})" if origin is not None else ""
        refusals.append(
            f"{what}{where} names role {role!r}, which does not exist: declare it (`roles: [{role}]` in "
            f"YAML, or CREATE ROLE {ident(role)} in an SQL file), create it first, or remove it"
        )

    for declared in desired.grants.values():
        for grant in sorted(declared.grants):
            check(grant.grantee, f"a grant on {declared.target.label}", declared.origin)
    for owner in desired.owners.values():
        check(owner.owner, f"the owner of {owner.target.label}", owner.origin)
    # Objects that carry their owner themselves (None: not declared).
    for name, et in desired.event_triggers.items():
        if et.owner is not None:
            check(et.owner, f"the owner of event trigger {name}", et.origin)
    for name, pub in desired.publications.items():
        if pub.owner is not None:
            check(pub.owner, f"the owner of publication {name}", pub.origin)
    for dp in desired.default_privileges.values():
        if dp.role:  # empty: the role that applies the plan
            check(dp.role, f"default privileges in schema {dp.schema}", dp.origin)
        for grant in sorted(dp.grants):
            check(grant.grantee, f"default privileges in schema {dp.schema}", dp.origin)
    return refusals
