"""Catalog rows of domains, composite types and range types → model objects (row shapes are
those of ``queries/domains.sql`` and ``queries/types.sql``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.types import CompositeAttribute, CompositeType, Domain, DomainCheck, RangeType

Row = Sequence[Any]


def domains(rows: Iterable[Row]) -> dict[tuple[str, str], Domain]:
    """Domain rows → domains by ``(schema, name)``."""
    out: dict[tuple[str, str], Domain] = {}
    for schema, name, base, notnull, default, collation, names, exprs, validated, comment, not_null_name in rows:
        checks = tuple(
            DomainCheck(n, e, v) for n, e, v in zip(names, exprs, validated, strict=True)
        )
        out[(schema, name)] = Domain(
            schema, name, base, nullable=not notnull, default=default, collation=collation,
            checks=checks, comment=comment, not_null_name=not_null_name if notnull else None,
        )
    return out


def composite_types(rows: Iterable[Row]) -> dict[tuple[str, str], CompositeType]:
    """Type rows of kind ``c`` → composite types by ``(schema, name)``."""
    out: dict[tuple[str, str], CompositeType] = {}
    for kind, schema, name, comment, names, types, collations, *rest in rows:
        if kind == "c":
            comments = rest[-1]
            attributes = tuple(
                CompositeAttribute(n, t, c, comment=k)
                for n, t, c, k in zip(names, types, collations, comments, strict=True)
            )
            out[(schema, name)] = CompositeType(schema, name, attributes, comment=comment)
    return out


def range_types(rows: Iterable[Row]) -> dict[tuple[str, str], RangeType]:
    """Type rows of kind ``r`` → range types by ``(schema, name)``."""
    out: dict[tuple[str, str], RangeType] = {}
    for kind, schema, name, comment, _, _, _, subtype, opclass, collation, canonical, diff, _ in rows:
        if kind == "r":
            out[(schema, name)] = RangeType(
                schema, name, subtype, subtype_opclass=opclass, collation=collation,
                canonical=canonical, subtype_diff=diff, comment=comment,
            )
    return out
