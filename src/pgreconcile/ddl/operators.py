"""SQL of operators (see :mod:`pgreconcile.diff.operators`)."""

from __future__ import annotations

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.operators import AlterOperator, CreateOperator, DropOperator
from pgreconcile.model.operators import Name, Operator
from pgreconcile.quoting import ident, literal, operator_symbol, qualified, qualified_operator


def signature(op: Operator) -> str:
    """``public.||++ (text, text)``, a prefix operator's left operand ``NONE``: how ALTER,
    COMMENT ON and DROP name it. Operand types are the model's canonical text."""
    return f"{ident(op.schema)}.{operator_symbol(op.name)} ({op.left or 'NONE'}, {op.right})"


def _estimator(name: Name | None) -> str:
    return "NONE" if name is None else qualified(*name)


def definition(op: Operator) -> str:
    """``CREATE OPERATOR`` with the options that are set."""
    options = [f"FUNCTION = {qualified(*op.function)}"]
    if op.left is not None:
        options.append(f"LEFTARG = {op.left}")
    options.append(f"RIGHTARG = {op.right}")
    if op.commutator is not None:
        options.append(f"COMMUTATOR = {qualified_operator(*op.commutator)}")
    if op.negator is not None:
        options.append(f"NEGATOR = {qualified_operator(*op.negator)}")
    if op.restrict is not None:
        options.append(f"RESTRICT = {qualified(*op.restrict)}")
    if op.join is not None:
        options.append(f"JOIN = {qualified(*op.join)}")
    if op.hashes:
        options.append("HASHES")
    if op.merges:
        options.append("MERGES")
    return f"CREATE OPERATOR {ident(op.schema)}.{operator_symbol(op.name)} ({', '.join(options)})"


@statements.register
def _(change: CreateOperator) -> list[str]:
    op = change.operator
    out = [definition(op)]
    if op.comment is not None:
        out.append(f"COMMENT ON OPERATOR {signature(op)} IS {literal(op.comment)}")
    if op.owner is not None:
        out.append(f"ALTER OPERATOR {signature(op)} OWNER TO {ident(op.owner)}")
    return out


@statements.register
def _(change: DropOperator) -> list[str]:
    return [f"DROP OPERATOR {signature(change.operator)}"]


@statements.register
def _(change: AlterOperator) -> list[str]:
    op, old = change.operator, change.old
    out = []
    estimators = []
    if op.restrict != old.restrict:
        estimators.append(f"RESTRICT = {_estimator(op.restrict)}")
    if op.join != old.join:
        estimators.append(f"JOIN = {_estimator(op.join)}")
    if estimators:
        out.append(f"ALTER OPERATOR {signature(op)} SET ({', '.join(estimators)})")
    if op.comment != old.comment:
        out.append(f"COMMENT ON OPERATOR {signature(op)} IS {literal(op.comment)}")
    if op.owner is not None and op.owner != old.owner:
        out.append(f"ALTER OPERATOR {signature(op)} OWNER TO {ident(op.owner)}")
    return out
