"""A table's JSONB groups → a ``jsonb`` column each, with an optional GIN index and an optional
validating CHECK, plus the :class:`Group` hint that says which live columns it absorbs.

A group is stored as ``jsonb NOT NULL DEFAULT '{}'``: an empty group is an empty object, so code
can read ``traits->>'openness'`` without a NULL check on the column. The CHECK (``validate:
true``) accepts a key that is absent or JSON null, and otherwise requires the JSON type of the
key's declared type; it is written in the shape PostgreSQL prints back, so it converges.
"""

from __future__ import annotations

from collections.abc import Callable

from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.names import make_object_name
from pgreconcile.declare.spec.types import TypeProblem, TypeResolver
from pgreconcile.model.objects import CheckConstraint, Column, Group, Index, IndexMethod, Origin
from pgreconcile.normalize.types import base_of
from pgreconcile.quoting import ident, literal

_JSON_TYPES = {
    "smallint": "number", "integer": "number", "bigint": "number", "numeric": "number", "real": "number",
    "double precision": "number", "boolean": "boolean", "jsonb": None, "json": None,
}


def json_type(canonical_type: str) -> str | None:
    """The JSON type a key of ``canonical_type`` holds (None: any); text-like types are strings."""
    if canonical_type.endswith("[]"):
        return "array"
    return _JSON_TYPES.get(base_of(canonical_type), "string")


def build_groups(
    table: str,
    schema: str,
    spec: TableSpec,
    resolver: TypeResolver,
    at: Callable[..., Origin],
    error: Callable[[Origin, str, str | None], None],
) -> tuple[list[Column], list[Index], list[CheckConstraint], tuple[Group, ...]]:
    """The columns, indexes, checks and hints of every declared group (problems go to ``error``)."""
    columns: list[Column] = []
    indexes: list[Index] = []
    checks: list[CheckConstraint] = []
    groups: list[Group] = []
    for name, group in spec.groups.items():
        origin = at("groups", name)
        if name in spec.columns:
            error(origin, f"group {name}: a column of the same name is declared", "rename one of them")
            continue
        keys: list[tuple[str, str]] = []
        for key, type_text in group.keys.items():
            try:
                keys.append((key, resolver.canonical(type_text, schema)))
            except TypeProblem as err:
                error(at("groups", name, "keys", key), f"group {name}: key {key}: {err.message}", err.hint)
        absorbed = [c for c in group.absorbs if c in spec.columns]
        if absorbed:
            error(
                at("groups", name, "absorbs"),
                f"group {name} absorbs {', '.join(absorbed)}, which is still declared as a column",
                "an absorbed column moves into the group and is dropped: remove its column declaration",
            )
        missing = [c for c in group.absorbs if c not in group.keys]
        if missing:
            error(
                at("groups", name, "absorbs"),
                f"group {name} absorbs {', '.join(missing)}, which is not one of its keys",
                "each absorbed column becomes the key of the same name: declare it under `keys:`",
            )
        if group.index is not None and group.index.lower() != "gin":
            error(at("groups", name, "index"), f"group {name}: index must be gin", "write `index: gin`")
        columns.append(Column(name, "jsonb", nullable=False, default="'{}'::jsonb", origin=origin))
        if group.index is not None:
            index_name = make_object_name(table, name, "idx")
            indexes.append(Index(index_name, (ident(name),), method=IndexMethod.GIN, origin=origin))
        if group.validate_ and keys:
            checks.append(CheckConstraint(make_object_name(table, name, "check"), _check(name, keys), origin))
        groups.append(Group(name, tuple(keys), tuple(group.absorbs)))
    return columns, indexes, checks, tuple(groups)


def _check(column: str, keys: list[tuple[str, str]]) -> str:
    """Each typed key, when present and not JSON null, has its JSON type."""
    parts = []
    for key, type_text in keys:
        wanted = json_type(type_text)
        if wanted is None:
            continue
        value = f"{ident(column)} -> {literal(key)}"
        parts.append(f"jsonb_typeof(COALESCE({value}, 'null'::jsonb)) IN ('null', {literal(wanted)})")
    return " AND ".join(parts) if parts else "true"
