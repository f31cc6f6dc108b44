"""Labels of operator changes."""

from __future__ import annotations

from pgreconcile.diff.operators import AlterOperator, CreateOperator, DropOperator
from pgreconcile.model.operators import Name, Operator, short_name
from pgreconcile.plan.describe import describe
from pgreconcile.quoting import literal

Label = tuple[str, tuple[str, ...]]


def _name(name: Name | None) -> str:
    return "none" if name is None else short_name(name)


def _operator(op: Operator) -> str:
    parts = [f"function {short_name(op.function)}"]
    parts += [f"{label} {short_name(name)}" for label, name in (("commutator", op.commutator),
                                                                ("negator", op.negator)) if name is not None]
    parts += [flag for flag, on in (("HASHES", op.hashes), ("MERGES", op.merges)) if on]
    return f"operator {op.signature} ({', '.join(parts)})"


@describe.register
def _(c: CreateOperator) -> Label:
    return _operator(c.operator), ()


@describe.register
def _(c: DropOperator) -> Label:
    return _operator(c.operator), ()


@describe.register
def _(c: AlterOperator) -> Label:
    op, old = c.operator, c.old
    parts = []
    if op.restrict != old.restrict:
        parts.append(f"restrict {_name(old.restrict)} → {_name(op.restrict)}")
    if op.join != old.join:
        parts.append(f"join {_name(old.join)} → {_name(op.join)}")
    if op.comment != old.comment:
        parts.append(f"comment {'none' if old.comment is None else literal(old.comment)} → "
                     f"{'none' if op.comment is None else literal(op.comment)}")
    if op.owner is not None and op.owner != old.owner:
        parts.append(f"owner {old.owner} → {op.owner}")
    return f"operator {op.signature} " + ", ".join(parts), ()
