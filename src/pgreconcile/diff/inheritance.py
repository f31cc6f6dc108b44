"""Table inheritance in the diff: links added and removed, and what follows a parent's columns.

What the model holds (model.objects.Table): a child's own columns in ``columns`` and the ones it
has only from its parents in ``inherited_columns``; a column in both is a merged one
(``Column.inherited``). PostgreSQL changes the type of an inherited column, its default and its
NOT NULL through the parent, and drops it with the parent's — so the table comparison
(diff/compare.py) never alters or drops an inherited column on a child, and this module:

* marks each retype or drop of a parent's column with the children whose copy follows it
  (``followers``), so that what reads the child's copy (a policy, a view, an index) is dropped
  before the one ALTER on the parent and re-created after it, like a reader of the parent's;
* adds ``ALTER TABLE … INHERIT`` for a new parent of an existing table — after giving the child
  what PostgreSQL demands first: every parent column (same type, NOT NULL where the parent's is)
  and every inheritable CHECK (same name);
* adds ``ALTER TABLE … NO INHERIT`` for a parent the child no longer declares — before that
  parent is dropped — and then drops the columns and CHECKs the child kept from it but does
  not declare (they are the child's own after the NO INHERIT);
* re-links in declared order when only the order of the parents changed (PostgreSQL appends a
  new parent last, so the parents after the first difference are unlinked and linked again).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from pgreconcile.diff import construct, deps
from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    DropColumn,
    DropConstraint,
)
from pgreconcile.diff.constraint_changes import same_constraint
from pgreconcile.diff.inheritance_changes import InheritTable, NoInheritTable, link_key
from pgreconcile.model import CheckConstraint, Column, Schema, Table
from pgreconcile.model.keys import column_key, constraint_key, table_key
from pgreconcile.normalize.expressions import equivalent_default

Key = tuple[str, str]


def unlink_key(child: Key, parent: Key) -> str:
    """The ordering key a NO INHERIT creates: what the child keeps from the parent is its own after it."""
    return "no-" + link_key(child, parent)


def inherited_checks(schema: Schema, table: Table) -> dict[str, CheckConstraint]:
    """The inheritable CHECKs of ``table``'s parents and their ancestors, by name."""
    found: dict[str, CheckConstraint] = {}
    seen: set[Key] = set()
    queue = list(table.inherits)
    while queue:
        key = queue.pop(0)
        parent = schema.tables.get(key)
        if parent is None or key in seen:
            continue
        seen.add(key)
        for check in parent.checks:
            if not check.no_inherit:
                found.setdefault(check.name, check)
        queue += parent.inherits
    return found


def parents_not_null(schema: Schema, table: Table) -> frozenset[str]:
    """The columns ``table`` has from its parents only (not local) whose NOT NULL a parent passes
    on: creating the child gives it that NOT NULL, and on PostgreSQL 18 a ``SET NOT NULL`` of the
    child's own would make it the child's (``conislocal``, which pg_dump prints) as well."""
    names: set[str] = set()
    for col in table.columns:
        if col.local or col.nullable:
            continue
        for key in table.inherits:
            parent = schema.tables.get(key)
            given = parent.column(col.name) if parent is not None else None
            if given is not None and not given.nullable and not given.not_null_no_inherit:
                names.add(col.name)
                break
    return frozenset(names)


def compare_inheritance(desired: Schema, live: Schema, changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``changes`` with the parents' column changes marked with their followers, plus the
    INHERIT / NO INHERIT steps (and what they need first or leave behind), and refusals."""
    out = _keep_own_defaults(desired, live, _with_followers(live, changes, desired))
    refusals: list[str] = []
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if current is None or table.inherits == current.inherits:
            continue
        out, found = _relink(table, current, desired, live, out)
        refusals += found
    return out, refusals


def reset_copy(table: Table, old: Column, copy: Column) -> list[Change]:
    """A child's column that a parent gives it, with a default, NOT NULL or comment of the
    child's own that the declarations do not repeat: back to what the parent gives."""
    if not old.inherited:
        return []  # not linked yet: ALTER TABLE … INHERIT merges it as it is
    same_default = equivalent_default(old.default, copy.default, old.type)
    if same_default and old.nullable == copy.nullable and old.comment == copy.comment:
        return []
    new = dataclasses.replace(old, default=copy.default, nullable=copy.nullable, comment=copy.comment)
    return [
        AlterColumn(
            table.schema, table.name, old, new,
            type_rewrites=False, type_may_fail=False, default_changed=not same_default, only=True,
            needs=frozenset({table_key(table.schema, table.name)}),
        )
    ]


# --- what follows a parent's column -----------------------------------------------------------


def _children(live: Schema) -> dict[Key, list[Table]]:
    found: dict[Key, list[Table]] = defaultdict(list)
    for table in live.tables.values():
        for parent in table.inherits:
            found[parent].append(table)
    return found


def _followers(children: dict[Key, list[Table]], parent: Key, column: str, *, merged_too: bool) -> list[Key]:
    """Descendants of ``parent`` whose ``column`` comes from it: only those that have it from
    their parents alone, or (``merged_too``) also those that declare it themselves."""
    out: list[Key] = []
    queue = [parent]
    while queue:
        for child in sorted(children.get(queue.pop(0), ()), key=lambda t: (t.schema, t.name)):
            key = (child.schema, child.name)
            only = any(c.name == column for c in child.inherited_columns)
            merged = any(c.name == column and c.inherited for c in child.columns)
            if key not in out and (only or (merged_too and merged)):
                out.append(key)
                queue.append(key)
    return out


def _kept_by_children(desired: Schema, children: dict[Key, list[Table]], drop: DropColumn) -> bool:
    """Whether the live children that have the dropped column from this table alone all declare
    a column of that name themselves (and there is at least one)."""
    name = drop.column.name
    heirs = [t for t in children.get((drop.schema, drop.table_name), ())
             if any(c.name == name for c in t.inherited_columns)]
    for child in heirs:
        wanted = desired.tables.get((child.schema, child.name))
        if wanted is None or not any(c.name == name for c in wanted.columns):
            return False
    return bool(heirs)


def _with_followers(live: Schema, changes: list[Change], desired: Schema) -> list[Change]:
    if not any(t.inherits for t in live.tables.values()):
        return changes
    children = _children(live)
    out: list[Change] = []
    for c in changes:
        if isinstance(c, AlterColumn) and c.type_changed and (c.schema, c.table_name) in children:
            found = tuple(_followers(children, (c.schema, c.table_name), c.old.name, merged_too=True))
            keys = frozenset(column_key(*f, c.old.name) for f in found)
            c = dataclasses.replace(c, followers=found, creates=c.creates | keys, removes=c.removes | keys)
        elif isinstance(c, DropColumn) and not c.replaces and _kept_by_children(desired, children, c):
            # Every child that has the column from this table alone declares it as its own:
            # ALTER TABLE ONLY leaves their copies behind as their own columns, values included.
            c = dataclasses.replace(c, only=True)
        elif isinstance(c, DropColumn) and not c.replaces and (c.schema, c.table_name) in children:
            parent = (c.schema, c.table_name)
            # A child the plan unlinks from this parent keeps its copy as its own (NO INHERIT
            # comes first): it does not follow the drop.
            leaving = [t for t in children[parent] if _unlinked(desired, t, parent)]
            staying = {**children, parent: [t for t in children[parent] if t not in leaving]}
            found = tuple(_followers(staying, parent, c.column.name, merged_too=False))
            keys = frozenset(column_key(*f, c.column.name) for f in found)
            after = frozenset(unlink_key((t.schema, t.name), parent) for t in leaving)
            c = dataclasses.replace(c, followers=found, removes=c.removes | keys, needs=c.needs | after)
        out.append(c)
    return out


def _unlinked(desired: Schema, child: Table, parent: Key) -> bool:
    """Whether the declarations keep ``child`` but no longer under ``parent``."""
    wanted = desired.tables.get((child.schema, child.name))
    return wanted is not None and parent not in wanted.inherits


def _keep_own_defaults(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """PostgreSQL passes a parent's SET / DROP DEFAULT down to every descendant's copy of the
    column, a default of the child's own included: such a default is set again after it."""
    # A retype drops and sets the default again too (ddl/statements.py), down the same way.
    parents = [
        c for c in changes
        if isinstance(c, AlterColumn) and not c.only
        and (c.default_changed or (c.type_changed and c.old.default is not None))
    ]
    if not parents or not any(t.inherits for t in live.tables.values()):
        return changes
    children = _children(live)
    out = list(changes)
    for c in parents:
        name = c.new.name
        done = column_key(c.schema, c.table_name, name) + "#default"
        out[out.index(c)] = dataclasses.replace(c, creates=c.creates | {done})
        for key in _followers(children, (c.schema, c.table_name), name, merged_too=True):
            wanted = desired.tables.get(key)
            want = wanted.column(name) if wanted is not None else None
            have = live.tables[key].column(name)
            if want is None or have is None or equivalent_default(want.default, c.new.default, want.type):
                continue  # it takes the parent's new default, as declared
            ckey = column_key(*key, name)
            own = next((i for i, o in enumerate(out) if isinstance(o, AlterColumn) and o.key == ckey), None)
            if own is not None:
                mine = out[own]
                assert isinstance(mine, AlterColumn)
                old = dataclasses.replace(mine.old, default=c.new.default)
                out[own] = dataclasses.replace(mine, old=old, default_changed=True, only=True,
                                               needs=mine.needs | {done})
            else:
                old = dataclasses.replace(have, default=c.new.default)
                out.append(
                    AlterColumn(
                        key[0], key[1], old, dataclasses.replace(have, default=want.default),
                        type_rewrites=False, type_may_fail=False, default_changed=True, only=True,
                        needs=frozenset({table_key(*key), done}),
                        reason=f"its own default, after {c.schema}.{c.table_name}'s new one reaches it",
                    )
                )
    return out


# --- INHERIT and NO INHERIT ------------------------------------------------------------------


def _relink(
    table: Table, current: Table, desired: Schema, live: Schema, changes: list[Change]
) -> tuple[list[Change], list[str]]:
    child: Key = (table.schema, table.name)
    tkey = table_key(*child)
    same = 0
    while same < min(len(table.inherits), len(current.inherits)) and table.inherits[same] == current.inherits[same]:
        same += 1
    removed, added = current.inherits[same:], table.inherits[same:]
    unlinks = frozenset(unlink_key(child, p) for p in removed)
    links_first = _links_first(table, current, desired, removed, added, changes)
    out = list(changes)
    if unlinks:
        # Whatever else changes on the child's columns and constraints sees them as its own;
        # a column or CHECK added to a parent it leaves must not reach it through the link.
        leaving = {f"{p[0]}.{p[1]}" for p in removed}
        out = [_after(c, unlinks) if c.table == table.qualified
               else _after_added(c, unlinks) if c.table in leaving else c for c in out]
    for parent in removed:
        out.append(
            NoInheritTable(
                table.schema, table.name, parent,
                needs=frozenset({tkey} | ({link_key(child, p) for p in added} if links_first else set())),
                creates=frozenset({unlink_key(child, parent)}),
                # Before the parent itself is dropped.
                live_needs=frozenset({table_key(*parent)}),
            )
        )
    out += _left_behind(table, current, desired, live, removed, unlinks)
    if removed:
        out = _kept_checks(table, current, live, removed, out)
    refusals: list[str] = []
    previous = frozenset() if links_first else unlinks
    for parent in added:
        steps, needs, found = _prepare(table, current, desired, live, parent)
        out += steps
        refusals += found
        link = link_key(child, parent)
        out.append(
            InheritTable(
                table.schema, table.name, parent,
                needs=frozenset({tkey, table_key(*parent)} | needs | previous),
                creates=frozenset({link}),
            )
        )
        previous = frozenset({link})  # parents are appended: link them in declared order
    return out, refusals


def _links_first(
    table: Table, current: Table, desired: Schema, removed: Iterable[Key], added: Iterable[Key],
    changes: list[Change],
) -> bool:
    """Whether the new parents are linked before the old ones are unlinked: when a column the
    child has only from an old parent comes from a new one too. NO INHERIT first would leave it
    the child's own (``attislocal``), and INHERIT merges into an own column without making it
    inherited again; linked first, the column is inherited from both for a moment and from the
    new parent only after, as declared. Not when a parent is re-linked (it must be unlinked
    first), nor when the child's own columns or constraints change too (those wait for the
    unlink, which would then wait for them)."""
    added = list(added)
    if not added or set(added) & set(current.inherits):
        return False
    if any(c.table == table.qualified and isinstance(c, AlterColumn | DropColumn | DropConstraint) for c in changes):
        return False
    declared = {c.name for c in table.columns}
    only_inherited = {c.name for c in current.inherited_columns} - {c.name for c in current.columns}
    provided: set[str] = set()
    for parent in added:
        source = desired.tables.get(parent)
        if source is not None:
            provided |= {c.name for c in (*source.columns, *source.inherited_columns)}
    return bool(list(removed)) and bool((only_inherited & provided) - declared)


def _after_added(change: Change, unlinks: frozenset[str]) -> Change:
    if isinstance(change, AddColumn) or (
        isinstance(change, AddConstraint) and isinstance(change.constraint, CheckConstraint)
        and not change.constraint.no_inherit
    ):
        return dataclasses.replace(change, needs=change.needs | unlinks)
    return change


def _after(change: Change, unlinks: frozenset[str]) -> Change:
    if isinstance(change, AlterColumn | DropColumn | DropConstraint):
        return dataclasses.replace(change, needs=change.needs | unlinks)
    return change


def _left_behind(
    table: Table, current: Table, desired: Schema, live: Schema, removed: Iterable[Key], unlinks: frozenset[str]
) -> list[Change]:
    """What the child kept from removed parents and does not declare: dropped after NO INHERIT."""
    if not unlinks:
        return []
    out: list[Change] = []
    kept = {c.name for c in (*table.columns, *table.inherited_columns)}
    for col in current.inherited_columns:
        if col.name in kept:
            continue
        if table.prevent_destroy:
            continue  # compare.py refuses dropping a column of such a table; the column stays
        out.append(
            DropColumn(
                table.schema, table.name, col,
                reason="kept from a parent it no longer inherits",
                needs=unlinks,
                removes=frozenset({column_key(table.schema, table.name, col.name)}),
                live_needs=frozenset(deps.column_needs(col)),
            )
        )
    declared = {c.name for c in table.checks} | set(inherited_checks(desired, table))
    own = {c.name for c in current.checks}  # its own ones are compared by compare.py
    gone = Table(table.schema, table.name, inherits=tuple(removed))
    for name, check in sorted(inherited_checks(live, gone).items()):
        if name not in declared and name not in own:
            drop = construct.drop_constraint(current, check, live)
            out.append(dataclasses.replace(drop, needs=drop.needs | unlinks, reason="kept from a parent it no "
                                           "longer inherits"))
    return out


def _kept_checks(
    table: Table, current: Table, live: Schema, removed: Iterable[Key], changes: list[Change]
) -> list[Change]:
    """A CHECK the child had only from a removed parent and declares itself is its own after
    NO INHERIT: not added again when it is the same, replaced after the NO INHERIT otherwise."""
    gone = inherited_checks(live, Table(table.schema, table.name, inherits=tuple(removed)))
    own = {c.name for c in current.checks}
    unlinks = frozenset(unlink_key((table.schema, table.name), p) for p in removed)
    out: list[Change] = []
    for c in changes:
        if not (isinstance(c, AddConstraint) and c.table == table.qualified):
            out.append(c)
            continue
        kept = gone.get(c.constraint.name)
        if kept is None or kept.name in own:
            out.append(c)
        elif not same_constraint(c.constraint, kept):
            drop = construct.drop_constraint(current, kept, live, replaces=True)
            out += [dataclasses.replace(drop, needs=drop.needs | unlinks),
                    dataclasses.replace(c, replaces=True, needs=c.needs | unlinks)]
    return out


def _prepare(
    table: Table, current: Table, desired: Schema, live: Schema, parent: Key
) -> tuple[list[Change], set[str], list[str]]:
    """The steps that give an existing child what INHERIT demands of it, the keys INHERIT must
    wait for, and refusals where PostgreSQL would refuse the link."""
    schema, name = table.schema, table.name
    source = desired.tables.get(parent)
    if source is None:
        return [], set(), []
    tkey = table_key(schema, name)
    have = {c.name: c for c in (*current.inherited_columns, *current.columns)}
    declared = {c.name for c in table.columns}
    steps: list[Change] = []
    refusals: list[str] = []
    needs: set[str] = set()
    for col in (*source.inherited_columns, *source.columns):
        ckey = column_key(schema, name, col.name)
        needs |= {ckey, column_key(*parent, col.name)}
        old = have.get(col.name)
        if col.name in declared:
            continue  # declared on the child too: compare.py adds or alters it to match
        if old is None:
            new = Column(col.name, col.type, nullable=col.nullable, default=col.default, collation=col.collation)
            steps.append(AddColumn(schema, name, new, needs=frozenset({tkey} | deps.column_needs(new)),
                                   creates=frozenset({ckey})))
        elif old.type != col.type:
            refusals.append(
                f"table {table.qualified} is to inherit {parent[0]}.{parent[1]}, but its column {col.name} is "
                f"{old.type} where the parent's is {col.type}, and PostgreSQL links only matching columns; declare "
                f"{col.name} on {table.qualified} with type {col.type} (with `convert:` if needed) for one plan, "
                "then add the parent"
            )
        else:
            # The parent's NOT NULL first (INHERIT demands it); its default and no comment of
            # the child's own, as the declarations say (the copy a link gives).
            new = dataclasses.replace(old, nullable=old.nullable and col.nullable, default=col.default, comment=None)
            same_default = equivalent_default(old.default, new.default, old.type)
            if new.nullable != old.nullable or not same_default or new.comment != old.comment:
                steps.append(
                    AlterColumn(
                        schema, name, old, new,
                        type_rewrites=False, type_may_fail=False, default_changed=not same_default,
                        needs=frozenset({tkey}), creates=frozenset({ckey}),
                    )
                )
    live_checks = {c.name for c in current.checks}
    for check_name, check in sorted({**inherited_checks(desired, Table(schema, name, inherits=(parent,)))}.items()):
        ckey = constraint_key(schema, name, check_name)
        needs |= {ckey}
        if check_name in live_checks or check_name in {c.name for c in table.checks}:
            continue
        steps.append(construct.add_constraint(table, dataclasses.replace(check, origin=None), desired))
    return steps, needs, refusals
