"""Domains, composite and range types (``CREATE DOMAIN``, ``CREATE TYPE … AS (…)``,
``CREATE TYPE … AS RANGE``). Expressions (a domain's CHECKs and default) are SQL text compared
through normalize, like every other expression; types are canonical spellings. Exclusion
constraints belong to their table (model/objects.py) and are re-exported here with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgreconcile.model.objects import ExclusionConstraint
from pgreconcile.model.origin import Origin


@dataclass(frozen=True, slots=True)
class DomainCheck:
    """A named CHECK of a domain; ``expression`` reads ``VALUE``. See CheckConstraint.validated."""

    name: str
    expression: str
    validated: bool = True
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Domain:
    """``CREATE DOMAIN schema.name AS type [COLLATE c] [DEFAULT …] [NOT NULL] [CHECK …]``."""

    schema: str
    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    collation: str | None = None
    checks: tuple[DomainCheck, ...] = ()  # by name
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    # PostgreSQL 17+ keeps the NOT NULL as a named constraint (``<domain>_not_null`` unless
    # written otherwise): its name as a catalog read it or as declared (``not_null:``), None when
    # declarations leave it unnamed and before 17. Compared only where both sides have one
    # (diff/types.py), as a column's (Column.not_null_name).
    not_null_name: str | None = field(default=None, compare=False)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def named_not_null(self) -> str | None:
        """The NOT NULL's name when it is not the one PostgreSQL 17+ gives by itself."""
        name = self.not_null_name
        return name if name is not None and name != f"{self.name}_not_null" and not self.nullable else None


@dataclass(frozen=True, slots=True)
class CompositeAttribute:
    """One attribute (field) of a composite type, in declared order. Its comment (``COMMENT ON
    COLUMN type.attribute``) is compared on its own: it never changes the attribute."""

    name: str
    type: str
    collation: str | None = None
    comment: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class CompositeType:
    """``CREATE TYPE schema.name AS (attribute type, …)``."""

    schema: str
    name: str
    attributes: tuple[CompositeAttribute, ...]
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True, slots=True)
class RangeType:
    """``CREATE TYPE schema.name AS RANGE (SUBTYPE = …, …)``; ``subtype_opclass`` and
    ``collation`` are None for the subtype's defaults, ``canonical`` / ``subtype_diff`` are
    function names (qualified) or None."""

    schema: str
    name: str
    subtype: str
    subtype_opclass: str | None = None
    collation: str | None = None
    canonical: str | None = None
    subtype_diff: str | None = None
    comment: str | None = None
    origin: Origin | None = field(default=None, compare=False)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


__all__ = ["CompositeAttribute", "CompositeType", "Domain", "DomainCheck", "ExclusionConstraint", "RangeType"]
