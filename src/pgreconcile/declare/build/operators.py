"""Declared operators → model objects.

The key names the operator: ``symbol(left, right)``, the left operand ``NONE`` for a prefix
operator. Operand types resolve as a function's argument types do. Names of functions and
operators resolve as OperatorSpec says (declare/spec/operators.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pgreconcile.declare.build.collect import schema_entries
from pgreconcile.declare.build.routines import PSEUDO_TYPES
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.names import catalog_name, split_dotted
from pgreconcile.declare.spec.operators import OperatorSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.spec.types import TypeProblem, TypeResolver
from pgreconcile.model.operators import Name, Operator, OperatorId
from pgreconcile.model.origin import Origin
from pgreconcile.model.routines import Function
from pgreconcile.quoting import operator_symbol

Operators = dict[OperatorId, Operator]


def operand_texts(text: str) -> list[str]:
    """``text, integer[]`` → the two operand texts (commas inside parentheses kept)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        current.append(ch)
    parts.append("".join(current).strip())
    return parts


def split_operator_key(key: str) -> tuple[str, str | None, str]:
    """``||++(text, text)`` → ``("||++", "text", "text")``; ``!!(NONE, bigint)`` → ``("!!", None,
    "bigint")`` (types as written). Raises ValueError."""
    symbol, paren, rest = key.strip().partition("(")
    if not paren or not rest.endswith(")"):
        raise ValueError(f"{key!r} must be `symbol(left type, right type)`, e.g. `||++(text, text)` "
                         "or `!!(NONE, bigint)` for a prefix operator")
    operands = operand_texts(rest[:-1])
    if len(operands) != 2 or not all(operands):
        raise ValueError(f"{key!r} must name two operand types (NONE on the left for a prefix operator)")
    left = None if operands[0].upper() == "NONE" else operands[0]
    return operator_symbol(symbol.strip()), left, operands[1]


def _operator(text: str, schema: str) -> Name:
    text = text.strip()
    if text.upper().startswith("OPERATOR(") and text.endswith(")"):
        text = text[len("OPERATOR("):-1].strip()
    if "." in text:
        qualifier, _, symbol = text.rpartition(".")
        parts = split_dotted(qualifier)
        if len(parts) != 1:
            raise ValueError(f"{text!r} is not an operator name (`symbol` or `schema.symbol`)")
        return parts[0], operator_symbol(symbol)
    return schema, operator_symbol(text)


def _type(resolver: TypeResolver, text: str, schema: str) -> str:
    bare = " ".join(text.lower().split())
    return bare if bare in PSEUDO_TYPES else resolver.canonical(text, schema)


def _build_one(schema: str, key: str, spec: OperatorSpec, resolver: TypeResolver, own: set[Name],
               origin: Origin) -> Operator:
    symbol, left_text, right_text = split_operator_key(key)
    left = None if left_text is None else _type(resolver, left_text, schema)
    right = _type(resolver, right_text, schema)
    return Operator(
        schema, symbol, left, right, catalog_name(spec.function, own, schema),
        commutator=None if spec.commutator is None else _operator(spec.commutator, schema),
        negator=None if spec.negator is None else _operator(spec.negator, schema),
        restrict=None if spec.restrict is None else catalog_name(spec.restrict),
        join=None if spec.join is None else catalog_name(spec.join),
        hashes=spec.hashes, merges=spec.merges, comment=spec.comment, owner=spec.owner, origin=origin,
    )


def build_operators(
    documents: Sequence[Document], resolver: TypeResolver, functions: Mapping[str, Function], problems: Problems
) -> Operators:
    """Every declared operator by (schema, symbol, left, right)."""
    own = {(f.schema, f.name) for f in functions.values()}
    found: Operators = {}
    for schema, key, op_spec, origin in schema_entries(documents, "operators"):
        try:
            op = _build_one(schema, key, op_spec, resolver, own, origin)
        except (ValueError, TypeProblem) as error:
            problems.at(origin, f"operator {schema}.{key}: {error}")
            continue
        ident = (op.schema, op.name, op.left, op.right)
        if ident in found:
            problems.at(origin, f"operator {op.signature} is declared twice: at {found[ident].origin} and at {origin}")
            continue
        found[ident] = op
    return dict(sorted(found.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or "", item[0][3])))
