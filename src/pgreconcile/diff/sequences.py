"""Compare sequences: create, alter in place, set the owning column, drop the undeclared.

Sequences owned by a column that this plan drops (or whose table it drops) go with it, so no
drop is planned for them. A serial column turned into an identity drops its old sequence in
its own ``ALTER TABLE`` step (the identity's sequence takes the same name), so neither then.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.diff.changes import AlterColumn, Change, DropColumn, DropTable
from pgreconcile.diff.sequence_changes import (
    AlterSequence,
    CreateSequence,
    DropSequence,
    SetSequenceLogged,
    SetSequenceOwner,
)
from pgreconcile.model import Schema
from pgreconcile.model.keys import column_key, owner_key, schema_key, sequence_key, table_key
from pgreconcile.model.narrowed import identity_options, narrowed
from pgreconcile.model.sequences import Sequence, stranded
from pgreconcile.normalize.sequences import nextval_target
from pgreconcile.normalize.types import base_of

_INTEGERS = frozenset({"smallint", "integer", "bigint"})


def alter_drops_sequence(change: AlterColumn) -> tuple[str, str] | None:
    """The sequence an :class:`AlterColumn` drops itself: a serial's, when the column becomes an
    identity or stops holding integers (see ddl/statements.py), as ``(schema, name)``."""
    old, new = change.old, change.new
    if old.default is None or not (change.type_changed or change.default_changed):
        return None
    target = nextval_target(old.default)
    if target is None or target[0] is None:
        return None
    to_identity = new.identity is not None and old.identity is None
    leaves_numbers = change.type_changed and base_of(new.type) not in _INTEGERS
    if (to_identity or leaves_numbers) and not (new.default and "nextval" in new.default):
        return (target[0], target[1])
    return None


def used_sequences(desired: Schema) -> dict[tuple[str, str], str]:
    """Sequences the declared column defaults draw from → the first column that does."""
    used: dict[tuple[str, str], str] = {}
    for (schema, name), table in sorted(desired.tables.items()):
        for col in table.columns:
            target = nextval_target(col.default)
            if target is not None:
                used.setdefault((target[0] or schema, target[1]), f"{schema}.{name}.{col.name}")
    return used


def missing_sequences(desired: Schema, live: Schema) -> list[str]:
    """Refusals for declared defaults that draw from a sequence in a managed schema that is
    neither declared nor live: the CREATE TABLE would fail on it."""
    return [
        f"column {column} draws from sequence {key[0]}.{key[1]} (its default calls nextval), which is "
        "neither declared nor in the database; declare the column `type: serial` (bigserial, smallserial), "
        "or the sequence under `schemas.<schema>.sequences`"
        for key, column in used_sequences(desired).items()
        if key[0] in desired.managed and key not in desired.sequences and key not in live.sequences
    ]


def stranded_counters(desired: Schema, live: Schema) -> list[str]:
    """Refusals for ranges declared narrower than a live counter that has drawn values beyond
    them: PostgreSQL refuses the ALTER, and restarting would hand out drawn values again."""
    out: list[str] = []
    for schema, name, column in narrowed(desired, live):
        if not column:
            old, new = live.sequences[(schema, name)].options, desired.sequences[(schema, name)].options
            what = f"sequence {schema}.{name}"
        else:
            live_col, col = live.tables[(schema, name)].column(column), desired.tables[(schema, name)].column(column)
            assert live_col is not None and col is not None
            old = identity_options(live_col.type, live_col.identity_options)
            new = identity_options(col.type, col.identity_options)
            what = f"identity column {schema}.{name}.{column}"
        if stranded(old, new):
            out.append(
                f"{what}: the declared range {new.min_value}..{new.max_value} leaves out {old.last_drawn}, the last "
                "value drawn from it, so PostgreSQL would refuse the change (and restarting the counter would draw "
                "values again that rows may hold). Declare a range that holds it, or restart the sequence yourself "
                "once those values are gone"
            )
    return out


def compare_sequences(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """``changes`` with the sequence changes added (and column changes that stop using a
    dropped sequence ordered before its drop).

    A live sequence that is not declared but that a declared default still draws from is kept:
    declarations written before sequences were managed name it only in ``nextval()``, and
    dropping it would fail (the default depends on it)."""
    out = list(changes)
    in_use = used_sequences(desired)
    for key, seq in sorted(desired.sequences.items()):
        current = live.sequences.get(key)
        skey = sequence_key(*key)
        if current is None:
            out.append(CreateSequence(seq, needs=frozenset({schema_key(seq.schema)}), creates=frozenset({skey})))
            if seq.owned_by is not None:
                out.append(_set_owner(seq, None))
            continue
        if (seq.options, seq.comment) != (current.options, current.comment):
            out.append(AlterSequence(current, seq, needs=frozenset({skey})))
        if seq.owned_by != current.owned_by:
            out.append(_set_owner(seq, current.owned_by))
        if seq.unlogged != _unlogged_after_tables(current, desired, live):
            out.append(SetSequenceLogged(seq, was_unlogged=current.unlogged, needs=frozenset({skey})))
    gone = _going_with_owner(live, out)
    out, dropped = _announce_owned(live, out, gone)
    for key, current in sorted(live.sequences.items()):
        if key[0] not in desired.managed or key in desired.sequences or key in gone or key in in_use:
            continue
        skey = sequence_key(*key)
        dropped.add(skey)
        out.append(
            DropSequence(
                current,
                removes=frozenset({skey}),
                live_needs=frozenset({schema_key(current.schema)}),
                reason="its counter (current value) is lost",
            )
        )
    return [_before_drop(c, dropped) for c in out] if dropped else out


def _set_owner(seq: Sequence, old_owner: tuple[str, str] | None) -> SetSequenceOwner:
    skey = sequence_key(seq.schema, seq.name)
    needs = {skey}
    if seq.owned_by is not None:
        needs.add(column_key(seq.schema, *seq.owned_by))
        # Linked only once the sequence and the table have their declared owners (PostgreSQL
        # wants them equal then); linked first, the table's new owner would carry the sequence
        # along and the sequence's own owner change would be refused.
        needs |= {owner_key(skey), owner_key(table_key(seq.schema, seq.owned_by[0]))}
    # Moved off its old column before that column is dropped (which would take the sequence).
    live_needs = frozenset({column_key(seq.schema, *old_owner)}) if old_owner else frozenset()
    return SetSequenceOwner(seq, old_owner, needs=frozenset(needs), live_needs=live_needs)


def _unlogged_after_tables(current: Sequence, desired: Schema, live: Schema) -> bool:
    """Whether the live sequence is unlogged once the tables' options are set: a table's ``SET
    LOGGED`` / ``SET UNLOGGED`` (planned before any sequence's, see order/graph.py) makes every
    sequence its columns own so too, so a serial's follows its table with no step of its own
    and one declared otherwise is set back after it."""
    if current.owned_by is None:
        return current.unlogged
    key = (current.schema, current.owned_by[0])
    table, live_table = desired.tables.get(key), live.tables.get(key)
    if table is None or live_table is None or table.unlogged == live_table.unlogged:
        return current.unlogged
    return table.unlogged


def _going_with_owner(live: Schema, changes: list[Change]) -> set[tuple[str, str]]:
    """Live sequences that a planned drop of their column or table (or a serial becoming an
    identity) removes already."""
    tables = {(c.table_def.schema, c.table_def.name) for c in changes if isinstance(c, DropTable)}
    columns = {(c.schema, c.table_name, c.column.name) for c in changes if isinstance(c, DropColumn)}
    gone = {found for c in changes if isinstance(c, AlterColumn) and (found := alter_drops_sequence(c))}
    for key, seq in live.sequences.items():
        if seq.owned_by is None:
            continue
        table, column = seq.owned_by
        if (seq.schema, table) in tables or (seq.schema, table, column) in columns:
            gone.add(key)
    return gone


def _announce_owned(
    live: Schema, changes: list[Change], gone: set[tuple[str, str]]
) -> tuple[list[Change], set[str]]:
    """The drop of a column or table also removes the sequences it owns: said on that change,
    so that a default elsewhere that draws from one (a child's, after NO INHERIT) is changed
    before it. Returns the changes and the keys of those sequences."""
    owners: dict[tuple[str, str, str | None], set[str]] = {}
    for key in gone:
        seq = live.sequences.get(key)
        if seq is not None and seq.owned_by is not None:
            skey = sequence_key(*key)
            owners.setdefault((seq.schema, seq.owned_by[0], seq.owned_by[1]), set()).add(skey)
            owners.setdefault((seq.schema, seq.owned_by[0], None), set()).add(skey)
    if not owners:
        return changes, set()
    out: list[Change] = []
    for c in changes:
        if isinstance(c, DropColumn):
            more = owners.get((c.schema, c.table_name, c.column.name), set())
        elif isinstance(c, DropTable):
            more = owners.get((c.table_def.schema, c.table_def.name, None), set())
        else:
            more = set()
        out.append(dataclasses.replace(c, removes=c.removes | more) if more else c)
    return out, set().union(*owners.values())


def _before_drop(change: Change, dropped: set[str]) -> Change:
    """A column whose old default draws from a sequence being dropped stops using it first."""
    if not isinstance(change, AlterColumn):
        return change
    target = nextval_target(change.old.default)
    if target is None or target[0] is None:
        return change
    skey = sequence_key(target[0], target[1])
    if skey not in dropped:
        return change
    return dataclasses.replace(change, live_needs=change.live_needs | {skey})
