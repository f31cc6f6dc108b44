"""Plan labels for sequences, generated columns, column options and table options
(registered on :func:`pgreconcile.plan.describe.describe`)."""

from __future__ import annotations

from pgreconcile.diff.column_option_changes import (
    AlterColumnOptions,
    DropColumnExpression,
    SetClusterOn,
    SetIdentityLogged,
    SetReplicaIdentity,
    SetTableOf,
    SetTableOptions,
)
from pgreconcile.diff.sequence_changes import (
    AlterSequence,
    CreateSequence,
    DropSequence,
    SetSequenceLogged,
    SetSequenceOwner,
)
from pgreconcile.model import Column, Sequence, SequenceOptions
from pgreconcile.model.sequences import restarts, sequence_options, serial_sequence_name
from pgreconcile.plan.describe import comment_text, describe

_FIELDS = ("type", "start", "increment", "min_value", "max_value", "cache", "cycle")


def options_summary(options: SequenceOptions) -> str:
    """``as integer, start 1000, increment 10`` — only what differs from the defaults."""
    defaults = sequence_options(options.type, increment=options.increment)
    defaults = sequence_options(options.type, increment=1, min_value=defaults.min_value, max_value=defaults.max_value)
    parts = [f"as {options.type}"]
    for name in _FIELDS[1:]:
        value = getattr(options, name)
        if name == "start":
            start = sequence_options(
                options.type, increment=options.increment, min_value=options.min_value, max_value=options.max_value
            ).start
            if value != start:
                parts.append(f"start {value}")
        elif value != getattr(defaults, name):
            parts.append("cycle" if name == "cycle" else f"{name.replace('_', ' ')} {value}")
    return ", ".join(parts)


def _owner(seq: Sequence) -> str:
    return f"owned by {seq.schema}.{seq.owned_by[0]}.{seq.owned_by[1]}" if seq.owned_by else "owned by none"


@describe.register
def _(c: CreateSequence) -> tuple[str, tuple[str, ...]]:
    unlogged = "unlogged " if c.sequence.unlogged else ""
    return f"{unlogged}sequence {c.sequence.qualified} ({options_summary(c.sequence.options)})", ()


@describe.register
def _(c: DropSequence) -> tuple[str, tuple[str, ...]]:
    return f"sequence {c.sequence.qualified}", ()


@describe.register
def _(c: AlterSequence) -> tuple[str, tuple[str, ...]]:
    old, new = c.old.options, c.new.options
    parts = [
        f"{name.replace('_', ' ')} {getattr(old, name)} → {getattr(new, name)}"
        for name in _FIELDS[:-1]
        if getattr(old, name) != getattr(new, name)
    ]
    if old.cycle != new.cycle:
        parts.append("no cycle → cycle" if new.cycle else "cycle → no cycle")
    if restarts(old, new):
        parts.append(_RESTART)
    if c.old.comment != c.new.comment:
        parts.append(f"comment {comment_text(c.old.comment)} → {comment_text(c.new.comment)}")
    return f"sequence {c.new.qualified} " + ", ".join(parts), ()


# Said where the plan restarts a counter that never drew a value (model.sequences.restarts).
_RESTART = "restarted at its new start (no value drawn yet)"


@describe.register
def _(c: SetSequenceLogged) -> tuple[str, tuple[str, ...]]:
    if c.was_unlogged is not None and c.was_unlogged == c.sequence.unlogged:
        # Live as declared already: only its table's SET LOGGED / UNLOGGED switches it.
        state = "unlogged" if c.sequence.unlogged else "logged"
        return f"sequence {c.sequence.qualified} {state} kept (set back after its table's change)", ()
    change = "logged → unlogged" if c.sequence.unlogged else "unlogged → logged"
    return f"sequence {c.sequence.qualified} {change}", ()


@describe.register
def _(c: SetSequenceOwner) -> tuple[str, tuple[str, ...]]:
    return f"sequence {c.sequence.qualified} {_owner(c.sequence)}", ()


@describe.register
def _(c: DropColumnExpression) -> tuple[str, tuple[str, ...]]:
    return f"column {c.column.name} generated → plain (keeps its values)", ()


@describe.register
def _(c: AlterColumnOptions) -> tuple[str, tuple[str, ...]]:
    old, new = c.old, c.new
    parts = []
    for name in ("collation", "compression", "storage"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            parts.append(f"{name} {before or 'default'} → {after or 'default'}")
    if old.statistics != new.statistics:
        parts.append(f"statistics {_or_default(old.statistics)} → {_or_default(new.statistics)}")
    if old.options != new.options:
        parts.append(f"options {_pairs(old.options)} → {_pairs(new.options)}")
    if old.identity_options != new.identity_options:
        parts.append(f"identity {_identity(old)} → {_identity(new)}")
        defaults = sequence_options(new.type)
        if restarts(old.identity_options or defaults, new.identity_options or defaults):
            parts.append(_RESTART)
    if old.identity_sequence != new.identity_sequence:
        default = (c.schema, serial_sequence_name(c.table_name, new.name))
        before, after = old.identity_sequence or default, new.identity_sequence or default
        parts.append(f"identity sequence {before[0]}.{before[1]} → {after[0]}.{after[1]} (renamed)")
    return f"column {new.name} " + ", ".join(parts), ()


def _or_default(value: object) -> str:
    return "default" if value is None else str(value)


def _pairs(options: tuple[tuple[str, str], ...]) -> str:
    return "(" + ", ".join(f"{k}={v}" for k, v in options) + ")" if options else "none"


def _identity(col: Column) -> str:
    text = options_summary(col.identity_options or sequence_options(col.type))
    return text.removeprefix(f"as {col.type}").removeprefix(", ") or "defaults"


@describe.register
def _(c: SetIdentityLogged) -> tuple[str, tuple[str, ...]]:
    state = "unlogged" if c.unlogged else "logged"
    if c.was_unlogged == c.unlogged:
        return f"column {c.column.name} identity sequence {state} kept (set back after its table's change)", ()
    if c.was_unlogged is None:
        return f"column {c.column.name} identity sequence {state} (made as its table is)", ()
    return f"column {c.column.name} identity sequence {'unlogged' if c.was_unlogged else 'logged'} → {state}", ()


@describe.register
def _(c: SetTableOptions) -> tuple[str, tuple[str, ...]]:
    parts = []
    if c.unlogged != c.was_unlogged:
        parts.append("logged → unlogged" if c.unlogged else "unlogged → logged")
    wanted, had = dict(c.options), dict(c.old_options)
    for name in sorted(set(wanted) | set(had)):
        if wanted.get(name) != had.get(name):
            parts.append(f"{name} {had.get(name, 'default')} → {wanted.get(name, 'default')}")
    return "table options " + ", ".join(parts), ()


@describe.register
def _(c: SetReplicaIdentity) -> tuple[str, tuple[str, ...]]:
    def shown(identity: str, index: str | None) -> str:
        return f"index {index}" if identity == "index" else identity

    return f"replica identity {shown(c.was_identity, c.was_index)} → {shown(c.identity, c.index)}", ()


@describe.register
def _(c: SetClusterOn) -> tuple[str, tuple[str, ...]]:
    if c.index is not None and c.index == c.was_index:
        return f"cluster on {c.index} (set again: the plan re-creates the index)", ()
    return f"cluster on {c.was_index or 'no index'} → {c.index or 'no index'}", ()


@describe.register
def _(c: SetTableOf) -> tuple[str, tuple[str, ...]]:
    def shown(of_type: tuple[str, str] | None) -> str:
        return "no type" if of_type is None else f"{of_type[0]}.{of_type[1]}"

    return f"typed table of {shown(c.was_of_type)} → {shown(c.of_type)}", ()
