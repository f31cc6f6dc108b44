"""Operators in the language (YAML and Python data): the inverse of declare/build/operators.py."""

from __future__ import annotations

from pgreconcile.declare.spec.names import dotted, written_catalog_name
from pgreconcile.emit.yaml_text import Block
from pgreconcile.model.operators import Name, Operator
from pgreconcile.model.schema import Schema


def function_name(name: Name, schema: str, own: set[Name]) -> str:
    """A function as an operator or cast written under ``schema`` names it."""
    # A name alone means this schema's function when one of that name is declared here, else
    # pg_catalog's (declare/build/operators.py): written in full whenever that would mislead.
    if name[0] == "pg_catalog" and (schema, name[1]) not in own:
        return name[1]
    if name[0] == schema and name in own:
        return name[1]
    return dotted(*name)


def _operator(name: Name, schema: str) -> str:
    """An operator alone is this schema's."""
    return name[1] if name[0] == schema else f"{dotted(name[0])}.{name[1]}"


def operator_key(op: Operator) -> str:
    """``||++(text, text)``: the declaration key."""
    return f"{op.name}({op.left or 'NONE'}, {op.right})"


def operator_spec(op: Operator, own: set[Name]) -> dict[str, object]:
    spec: dict[str, object] = {"function": function_name(op.function, op.schema, own)}
    if op.commutator is not None:
        spec["commutator"] = _operator(op.commutator, op.schema)
    if op.negator is not None:
        spec["negator"] = _operator(op.negator, op.schema)
    if op.restrict is not None:
        spec["restrict"] = written_catalog_name(op.restrict)
    if op.join is not None:
        spec["join"] = written_catalog_name(op.join)
    if op.hashes:
        spec["hashes"] = True
    if op.merges:
        spec["merges"] = True
    if op.comment is not None:
        spec["comment"] = op.comment
    if op.owner is not None:
        spec["owner"] = op.owner
    return spec


def operators_block(schema: Schema, name: str) -> dict[str, Block]:
    """``{"operators": …}`` of namespace ``name`` (when it has some)."""
    own = {(f.schema, f.name) for f in schema.functions.values()}
    found = Block((operator_key(op), operator_spec(op, own)) for (s, *_), op in schema.operators.items() if s == name)
    return {"operators": found} if found else {}


def operator_schemas(schema: Schema) -> set[str]:
    """The schemas that hold an operator."""
    return {key[0] for key in schema.operators}
