"""SQL for sequences: CREATE / ALTER / DROP SEQUENCE, OWNED BY and comments.

Options are written only where they differ from what PostgreSQL would choose for the ones
written before them, so a serial's sequence reads ``CREATE SEQUENCE public.users_id_seq AS
integer``. ``ALTER SEQUENCE`` says ``RESTART`` only where nothing was drawn from the sequence
and its range narrows (model.sequences.restarts): elsewhere the counter stays where it is.
"""

from __future__ import annotations

from pgreconcile.ddl.sequence_options import changed_clauses, option_clauses
from pgreconcile.ddl.statements import statements
from pgreconcile.diff.sequence_changes import AlterSequence, CreateSequence, DropSequence, SetSequenceOwner
from pgreconcile.model.sequences import restarts
from pgreconcile.quoting import ident, literal, qualified


@statements.register
def _(change: CreateSequence) -> list[str]:
    seq = change.sequence
    name = qualified(seq.schema, seq.name)
    out = [" ".join([f"CREATE SEQUENCE {name}", *option_clauses(seq.options)])]
    if seq.comment is not None:
        out.append(f"COMMENT ON SEQUENCE {name} IS {literal(seq.comment)}")
    return out


@statements.register
def _(change: AlterSequence) -> list[str]:
    name = qualified(change.new.schema, change.new.name)
    out = []
    clauses = changed_clauses(change.old.options, change.new.options)
    if restarts(change.old.options, change.new.options):
        # Nothing drawn yet: the counter still stands at the old start, which the new range
        # may leave out (PostgreSQL would refuse); it starts over at the new start instead.
        clauses.append("RESTART")
    if clauses:
        out.append(" ".join([f"ALTER SEQUENCE {name}", *clauses]))
    if change.new.comment != change.old.comment:
        out.append(f"COMMENT ON SEQUENCE {name} IS {literal(change.new.comment)}")
    return out


@statements.register
def _(change: SetSequenceOwner) -> list[str]:
    seq = change.sequence
    owner = "NONE"
    if seq.owned_by is not None:
        owner = f"{qualified(seq.schema, seq.owned_by[0])}.{ident(seq.owned_by[1])}"
    return [f"ALTER SEQUENCE {qualified(seq.schema, seq.name)} OWNED BY {owner}"]


@statements.register
def _(change: DropSequence) -> list[str]:
    return [f"DROP SEQUENCE {qualified(change.sequence.schema, change.sequence.name)}"]
