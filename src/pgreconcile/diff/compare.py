"""Compare a desired and a live :class:`~pgreconcile.model.Schema` into typed changes.

Only managed namespaces are compared: whatever lives elsewhere (``auth``, ``extensions``) is
never created, altered or dropped. Objects are matched by name; a difference in an object that
PostgreSQL cannot alter in place (a constraint, an index) becomes a drop and a re-create of the
same key. No order is decided here — that is ``order/``'s job — and no SQL is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from pgreconcile.diff import (
    costs,
    deps,
    partition_moves,  # [partitions]
    partition_recreate,  # [partitions]
)
from pgreconcile.diff.casts import compare_casts
from pgreconcile.diff.changes import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    Change,
    CreateIndex,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    SetTableComment,
    column_key,
    index_key,
    schema_key,
    table_key,
)
from pgreconcile.diff.collations import compare_collations
from pgreconcile.diff.column_options import compare_column_options
from pgreconcile.diff.construct import (
    add_constraint,
    create_index,
    create_policy,
    drop_constraint,
)
from pgreconcile.diff.conversions import (
    ConversionPlanner,
    Decision,
    conversion_risks,
    regenerate_creates,
    regenerate_needs,
)
from pgreconcile.diff.dependents import recreate_readers
from pgreconcile.diff.foreign import compare_foreign
from pgreconcile.diff.foundations import compare_enums, compare_extensions, compare_namespaces
from pgreconcile.diff.group_changes import AbsorbColumns
from pgreconcile.diff.inheritance import (  # [inheritance]
    compare_inheritance,
    parents_not_null,
    reset_copy,
)
from pgreconcile.diff.not_null_names import not_null_differs, not_null_needs, not_null_renames, retype_refusals
from pgreconcile.diff.operators import compare_operators
from pgreconcile.diff.partition_not_nulls import partition_not_null_names
from pgreconcile.diff.partition_retypes import partition_retypes
from pgreconcile.diff.partitions import compare_partitions, partition_keys  # [partitions]
from pgreconcile.diff.policies import compare_row_security
from pgreconcile.diff.privileges import compare_privileges  # [privileges]
from pgreconcile.diff.publications import compare_publications  # [privileges]
from pgreconcile.diff.renames import plan_renames
from pgreconcile.diff.rls_changes import CreatePolicy, DropPolicy, SetRowSecurity
from pgreconcile.diff.roles import compare_roles
from pgreconcile.diff.routines import compare_routines  # [routines]
from pgreconcile.diff.row_type_users import row_type_refusals
from pgreconcile.diff.rules import compare_rules
from pgreconcile.diff.sequences import compare_sequences, missing_sequences, stranded_counters
from pgreconcile.diff.statistics import compare_statistics
from pgreconcile.diff.sub_comments import compare_sub_comments
from pgreconcile.diff.subscriptions import compare_subscriptions  # [subscriptions]
from pgreconcile.diff.table_keys import compare_constraints, compare_indexes, recreate_dependent_foreign_keys
from pgreconcile.diff.text_search import compare_text_search
from pgreconcile.diff.typed_tables import compare_typed_tables
from pgreconcile.diff.types import compare_types
from pgreconcile.diff.views import compare_views, recreate_function_readers  # [views]
from pgreconcile.model import (
    Column,
    Schema,
    Table,
)
from pgreconcile.normalize.expressions import equivalent_default


@dataclass
class Diff:
    """The changes between two states, plus the reasons the plan cannot be applied (if any)."""

    changes: list[Change] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    # What the plan leaves as it is although the declarations differ, and why (each a phrase
    # naming the object): shown with what is not managed.
    notes: list[str] = field(default_factory=list)


def compare(desired: Schema, live: Schema) -> Diff:
    """All changes that turn ``live`` into ``desired`` within the managed namespaces.

    Declared renames come first and turn ``live`` into the state they leave behind; everything
    else is compared against that state. Then the objects that read a retyped or dropped column
    are re-created around it, and foreign keys around the keys they reference."""
    renamed = plan_renames(desired, live)
    live = renamed.live
    out = Diff(list(renamed.changes), list(renamed.refusals))
    managed = desired.managed
    compare_namespaces(desired, live, out.changes)
    compare_extensions(desired, live, out.changes, out.refusals)
    collation_changes, collation_refusals = compare_collations(desired, live)
    out.changes += collation_changes
    out.refusals += collation_refusals
    ts_changes, ts_refusals = compare_text_search(desired, live)  # [text-search]
    out.changes += ts_changes
    out.refusals += ts_refusals
    op_changes, op_refusals = compare_operators(desired, live)  # [operators]
    out.changes += op_changes
    out.refusals += op_refusals
    out.changes += compare_casts(desired, live)  # [casts]
    compare_enums(desired, live, managed, out.changes)
    # [partitions] detach and attach first: a partitioned table re-created below as an ordinary
    # one lets the partitions declared as tables go with their rows before it is dropped.
    moves = partition_moves.plan_moves(desired, live)
    live = moves.live
    out.changes += moves.changes
    # [partitions] partitioned ↔ ordinary: dropped here and created again by the comparison
    recreate = partition_recreate.recreated_tables(desired, live)
    if recreate:
        for key in sorted(recreate):
            _drop_table(live.tables[key], live, recreate, out, reason=partition_recreate.REASON)
        out.changes += partition_recreate.referencing_keys(desired, live, recreate)
        live = partition_recreate.without(live, recreate)
    # Tables equal field by field (the common case, and every table of a no-op plan): each
    # table comparison below skips them; computed once, since comparing 40,000 columns is the
    # costly part of a no-op plan's diff.
    unchanged = frozenset(key for key, table in desired.tables.items() if live.tables.get(key) == table)
    _compare_tables(desired, live, managed, out, unchanged)
    out.changes, foreign_refusals = compare_foreign(desired, live, out.changes)  # [foreign]
    out.refusals.extend(foreign_refusals)
    # [inheritance] before views and readers: a parent's retype carries its children's readers
    out.changes, inheritance_refusals = compare_inheritance(desired, live, out.changes)
    out.refusals.extend(inheritance_refusals)
    # [sequences] Before views and readers: a generated column whose expression changes is
    # dropped and added again here, and what reads it is re-created around that below.
    out.changes = compare_sequences(desired, live, out.changes)
    out.refusals.extend(missing_sequences(desired, live))
    out.refusals.extend(stranded_counters(desired, live))
    out.changes = compare_column_options(desired, live, out.changes, unchanged)
    out.changes += not_null_renames(desired, live, out.changes, out.notes)
    out.refusals += retype_refusals(live, out.changes)  # [inheritance] PostgreSQL 18
    out.refusals += row_type_refusals(desired, live, out.changes)
    # [views]
    out.changes, view_refusals = compare_views(desired, live, out.changes)
    out.refusals.extend(view_refusals)

    # [routines]
    out.changes, routine_refusals = compare_routines(desired, live, out.changes)
    out.refusals.extend(routine_refusals)
    out.changes = recreate_function_readers(desired, live, out.changes)  # [views]


    # [constraints-types]
    compare_types(desired, live, out.changes, out.refusals)
    out.changes = compare_typed_tables(desired, live, out.changes)
    # [privileges]

    # [partitions]
    partition_changes, partition_refusals = compare_partitions(desired, live, out.changes, moves.attached)
    out.changes = partition_moves.waits_for_detach(out.changes + partition_changes, moves)
    out.refusals += partition_refusals
    name_changes, name_notes = partition_not_null_names(desired, live, out.changes)
    out.changes += name_changes
    out.notes += name_notes
    # PostgreSQL 18: after the partitions' own changes (drops, renames of their NOT NULLs)
    out.changes, retype_refusals_, retype_notes = partition_retypes(live, out.changes)
    out.refusals += retype_refusals_
    out.notes += retype_notes
    # Extended statistics and rules: after the table changes, which they may have to wait for.
    out.changes += compare_statistics(desired, live, out.changes)
    out.changes += compare_rules(desired, live, out.changes)
    out.changes, refusals = recreate_readers(desired, live, out.changes)
    out.refusals.extend(refusals)
    recreate_dependent_foreign_keys(desired, live, out.changes)
    out.changes = _pair_recreations(out.changes)
    # After every re-creation: a comment is compared with what its object will carry.
    out.changes = compare_sub_comments(desired, live, out.changes)
    # [privileges] Last: grants compare against what the plan re-creates (readers included).
    out.changes, grant_refusals = compare_privileges(desired, live, out.changes)
    out.changes.extend(compare_publications(desired, live))
    sub_changes, sub_refusals = compare_subscriptions(desired, live)  # [subscriptions]
    out.changes.extend(sub_changes)
    out.refusals.extend(sub_refusals)
    out.changes.extend(compare_roles(desired, live))
    out.refusals.extend(grant_refusals)
    return out


def _pair_recreations(changes: list[Change]) -> list[Change]:
    """An object dropped first to make room for a rename (or because it read a dropped column)
    and declared again under the same key is one re-creation: both halves say so."""
    dropped = {
        c.key: c for c in changes
        if isinstance(c, DropConstraint | DropIndex | DropPolicy) and c.reason and c.reason.startswith("dropped first")
    }
    if not dropped:
        return changes
    out: list[Change] = []
    for c in changes:
        if isinstance(c, AddConstraint | CreateIndex | CreatePolicy) and c.key in dropped and not c.replaces:
            why = (dropped[c.key].reason or "").removeprefix("dropped first: ")
            c = dataclasses.replace(c, replaces=True, reason=f"re-created: {why}")
        elif c.key in dropped and c is dropped[c.key] and any(
            isinstance(o, AddConstraint | CreateIndex | CreatePolicy) and o.key == c.key for o in changes
        ):
            why = (c.reason or "").removeprefix("dropped first: ")
            c = dataclasses.replace(c, replaces=True, reason=f"re-created: {why}")
        out.append(c)
    return out


# --- tables ----------------------------------------------------------------------------------


def _compare_tables(
    desired: Schema, live: Schema, managed: frozenset[str], out: Diff, unchanged: frozenset[tuple[str, str]]
) -> None:
    dropped = {key for key in live.tables if key[0] in managed and key not in desired.tables}
    planner = ConversionPlanner(desired, live)
    for key, table in sorted(desired.tables.items()):
        current = live.tables.get(key)
        if current is None:
            _create_table(table, desired, out)
        elif key in unchanged:
            continue  # equal field by field: nothing to compare
        else:
            _compare_table(table, current, desired, live, planner, out)
    for key in sorted(dropped):
        _drop_table(live.tables[key], live, dropped, out)


def _create_table(table: Table, desired: Schema, out: Diff) -> None:
    out.changes.append(
        CreateTable(
            table,
            parents_not_null=parents_not_null(desired, table) if table.inherits else frozenset(),
            needs=frozenset(deps.table_needs(table)),
            creates=frozenset(deps.table_creates(table)),
        )
    )
    for fk in table.foreign_keys:
        out.changes.append(dataclasses.replace(add_constraint(table, fk, desired), new_table=True))
    for check in table.checks:  # [constraints-types] NOT VALID ones are added after the table
        if not check.validated:
            out.changes.append(dataclasses.replace(add_constraint(table, check, desired), new_table=True))
    for index in table.indexes:
        out.changes.append(dataclasses.replace(create_index(table, index), new_table=True))
    if table.rls_enabled or table.rls_forced:
        tkey = table_key(table.schema, table.name)
        out.changes.append(
            SetRowSecurity(table.schema, table.name, table.rls_enabled, table.rls_forced, False, False,
                           needs=frozenset({tkey}))
        )
    out.changes.extend(create_policy(table, policy) for policy in table.policies)


def _drop_table(
    table: Table, live: Schema, dropped: set[tuple[str, str]], out: Diff, *, reason: str | None = None
) -> None:
    tkey = table_key(table.schema, table.name)
    live_needs = {schema_key(table.schema)} | deps.table_needs(table)
    for fk in table.foreign_keys:
        target = (fk.ref_schema, fk.ref_table)
        if target in dropped and target != (table.schema, table.name):
            # Two dropped tables that reference each other can only go once the foreign keys
            # between them are gone; dropping those first breaks every such cycle.
            out.changes.append(drop_constraint(table, fk, live))
        else:
            live_needs |= deps.constraint_needs(table, fk, live) - {tkey}
    out.changes.append(
        DropTable(
            table,
            removes=frozenset(deps.table_creates(table) | {index_key(table.schema, i.name) for i in table.indexes}
                              | partition_keys(table)),
            live_needs=frozenset(live_needs - {tkey}),
            replaces=reason is not None,
            reason=reason,
        )
    )


def _compare_table(
    table: Table, current: Table, desired: Schema, live: Schema, planner: ConversionPlanner, out: Diff
) -> None:
    schema, name = table.schema, table.name
    tkey = table_key(schema, name)
    if table.comment != current.comment:
        out.changes.append(SetTableComment(schema, name, table.comment, current.comment, needs=frozenset({tkey})))

    # [inheritance] a column the child has only from a parent is looked up too: declared on the
    # child, it is the same column, never a new one.
    live_columns = {c.name: c for c in (*current.inherited_columns, *current.columns)}
    for col in table.columns:
        old = live_columns.get(col.name)
        if col.renamed_from in live_columns and col.name in live_columns:
            continue  # a rename the renames pass refused (both names live): already reported
        inherited = old is not None and col.inherited and old.inherited
        if old is not None and inherited:
            # Inherited on both sides: its type follows the parent's (one ALTER, on the parent);
            # the child's own are its default, a NOT NULL of its own, and its comment.
            col = dataclasses.replace(col, type=old.type, identity=old.identity, generated=old.generated,
                                      virtual=old.virtual)
        decision = planner.decide(table, old, col) if old is not None and old.type != col.type else Decision()
        if decision.refusal is not None:
            out.refusals.append(decision.refusal)
            continue
        ckey = column_key(schema, name, col.name)
        if old is None:
            out.changes.append(
                AddColumn(
                    schema, name, col,
                    needs=frozenset({tkey} | deps.column_needs(col)),
                    creates=frozenset({ckey}),
                )
            )
        elif _column_differs(col, old):
            type_changed = col.type != old.type
            may_fail, lossy = conversion_risks(decision, old.type, col.type)
            unwraps = planner.leaves_domain(old.type, col.type)  # [constraints-types]
            out.changes.append(
                AlterColumn(
                    schema, name, old, col,
                    type_rewrites=costs.rewrites(old.type, col.type) and not unwraps,
                    type_may_fail=may_fail and not unwraps,
                    type_lossy=lossy,
                    default_changed=not equivalent_default(col.default, old.default, col.type),
                    conversion=decision.conversion,
                    children=decision.children,
                    parent=decision.parent,
                    probed=decision.probed,
                    via_text=decision.via_text,
                    nulls_only=decision.nulls_only,
                    only=inherited,
                    needs=frozenset({tkey} | deps.column_needs(col) | regenerate_needs(decision)
                                    | not_null_needs(schema, name, col, old)),
                    # A type change replaces the column's definition: whatever reads the column
                    # must be dropped before it and re-created after it. A regenerated key also
                    # announces itself, so that the columns following it convert after it.
                    creates=(frozenset({ckey}) | regenerate_creates(decision, (schema, name, col.name))) if type_changed
                    else frozenset(),
                    removes=frozenset({ckey}) if type_changed else frozenset(),
                    live_needs=frozenset(deps.column_needs(old)) if type_changed else frozenset(),
                )
            )
    declared = {c.name for c in table.columns} | {c.renamed_from for c in table.columns if c.renamed_from}
    absorbed: dict[str, str] = {}
    for group in table.groups:
        present = tuple(c for c in group.absorbs if c in live_columns)
        if present:
            out.changes.append(
                AbsorbColumns(
                    schema, name, group.name, present,
                    needs=frozenset({tkey, column_key(schema, name, group.name)}),
                    # The absorbed columns are read here, so they are dropped only afterwards.
                    live_needs=frozenset(column_key(schema, name, c) for c in present),
                )
            )
            absorbed.update(dict.fromkeys(present, group.name))
    copies = {c.name: c for c in table.inherited_columns}  # [inheritance]
    # A parent outside the managed schemas: which of the child's columns it gives is not known.
    unknown_parent = any(p not in desired.tables for p in table.inherits)
    for old in current.columns:
        if old.inherited and unknown_parent and old.name not in declared:
            continue
        if old.name in copies:
            # A parent has it (merged by INHERIT, or with settings of the child's own): never
            # dropped here; settings of the child's own that are not declared go back to the parent's.
            out.changes.extend(reset_copy(table, old, copies[old.name]))
            continue
        if old.name in absorbed:
            out.changes.append(
                DropColumn(
                    schema, name, old,
                    absorbed_into=absorbed[old.name],
                    reason=f"absorbed into group {absorbed[old.name]}",
                    removes=frozenset({column_key(schema, name, old.name)}),
                    live_needs=frozenset(deps.column_needs(old)),
                )
            )
        elif old.name not in declared and table.prevent_destroy:
            out.refusals.append(
                f"column {table.qualified}.{old.name} would be dropped, but the table is declared with "
                f"`prevent_destroy: true` ({table.origin or table.qualified}); declare the column, or "
                "remove prevent_destroy deliberately"
            )
        elif old.name not in declared:
            out.changes.append(
                DropColumn(
                    schema, name, old,
                    removes=frozenset({column_key(schema, name, old.name)}),
                    live_needs=frozenset(deps.column_needs(old)),
                )
            )

    compare_constraints(table, current, desired, live, out.changes)
    compare_indexes(table, current, out.changes)
    out.changes.extend(compare_row_security(table, current, live))


def _column_differs(new: Column, old: Column) -> bool:
    return (
        new.type != old.type
        or new.nullable != old.nullable
        or not_null_differs(new, old)  # PostgreSQL 18: NOT VALID to validate, NO INHERIT
        or new.identity != old.identity
        or new.comment != old.comment
        or not equivalent_default(new.default, old.default, new.type)
    )


__all__ = ["Diff", "compare"]
