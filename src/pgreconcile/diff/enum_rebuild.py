"""Rebuilding an enum whose labels are removed or reordered (PostgreSQL can do neither in place).

The renames pass (:mod:`.renames`) sets the live type aside under another name; the live model is
rewritten to match — columns, defaults and functions now name the set-aside type — so that the
ordinary comparison plans the rest: the declared type is created, each column is converted to
it through the label mapping (:func:`relabel_expression`, chosen in :mod:`.conversions`), what
reads a column is re-created around the conversion, functions are dropped and created again
for the new type, and the set-aside type is dropped last.
"""

from __future__ import annotations

import dataclasses

from pgreconcile.model.keys import type_key
from pgreconcile.model.routines import Function
from pgreconcile.quoting import literal


def aside_name(name: str) -> str:
    """The name an enum is set aside under while it is rebuilt (63 bytes at most)."""
    return f"pgreconcile_old_{name}".encode()[:63].decode("utf-8", "ignore")


def set_aside_key(schema: str, name: str) -> str:
    """What the set-aside step creates, so that dropping the set-aside type comes after it."""
    return f"set-aside:{type_key(schema, name)}"


def needs_rebuild(live: tuple[str, ...], declared: tuple[str, ...]) -> bool:
    """Whether going from ``live`` labels to ``declared`` ones removes or reorders a label."""
    kept = [v for v in declared if v in live]
    return any(v not in declared for v in live) or kept != [v for v in live if v in declared]


def retyped_functions(functions: dict[str, Function], old_type: str, new_type: str) -> dict[str, Function]:
    """Functions taking or returning a set-aside enum now name it by its new name: their
    signature no longer matches the declaration, so they are dropped (before the set-aside
    type) and created again for the rebuilt type."""

    def retyped(type_text: str | None) -> str | None:
        if type_text is None:
            return None
        base, tail = type_text, ""
        while base.endswith("[]"):
            base, tail = base[:-2], tail + "[]"
        prefix = "SETOF " if base.startswith("SETOF ") else ""
        return f"{prefix}{new_type}{tail}" if base.removeprefix("SETOF ") == old_type else type_text

    out = dict(functions)
    for fkey, function in functions.items():
        arguments = tuple(dataclasses.replace(a, type=retyped(a.type) or a.type) for a in function.arguments)
        returns = retyped(function.returns)
        if arguments == function.arguments and returns == function.returns:
            continue
        moved = dataclasses.replace(function, arguments=arguments, returns=returns)
        del out[fkey]
        out[moved.key] = moved
    return out


def relabel_expression(column: str, new_type: str, relabel: tuple[tuple[str, str | None], ...]) -> str:
    """The USING expression that moves ``column`` (an enum, or an array of one) to the rebuilt
    enum ``new_type``: through text, each removed label replaced as declared. A label removed
    without a replacement stays as it is and fails the cast (the plan refuses it first)."""
    if new_type.endswith("[]"):
        value = f"{column}::text[]"
        for before, after in relabel:
            value = f"array_replace({value}, {literal(before)}, {literal(after) if after is not None else 'NULL'})"
        return f"({value})::{new_type}"
    if not relabel:
        return f"{column}::text::{new_type}"
    whens = " ".join(
        f"WHEN {literal(before)} THEN {literal(after) if after is not None else 'NULL'}" for before, after in relabel
    )
    return f"(CASE {column}::text {whens} ELSE {column}::text END)::{new_type}"
