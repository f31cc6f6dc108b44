"""The language of domains, composite types and range types (``schemas.<s>.domains`` and
``schemas.<s>.types``)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, model_validator

from pgreconcile.declare.spec.access import Grants
from pgreconcile.declare.spec.base import Spec, problem
from pgreconcile.declare.spec.base import each as _each
from pgreconcile.declare.spec.constraint_specs import NotNullSpec


class DomainCheckSpec(Spec):
    """A domain CHECK: ``name: "VALUE > 0"`` or ``name: {expression: ..., validated: false}``."""

    expression: str
    validated: bool = True

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"expression": data} if isinstance(data, str) else data


class DomainSpec(Spec):
    """``email_address: {type: text, checks: {…}}``; a bare string is the base type."""

    empty_hint: ClassVar[str | None] = "a domain needs a base type: `positive: integer`"
    type: str
    nullable: bool = True
    # PostgreSQL 17: the NOT NULL's constraint name (``not_null: positive_required``); implies NOT NULL
    not_null: Annotated[NotNullSpec | None, BeforeValidator(NotNullSpec.expand)] = None
    default: Any = None
    default_sql: str | None = None
    collation: str | None = None
    checks: Annotated[dict[str, DomainCheckSpec], BeforeValidator(_each(DomainCheckSpec.expand))] = Field(
        default_factory=dict
    )
    comment: str | None = None
    grants: Grants = None  # [privileges]
    owner: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"type": data} if isinstance(data, str) else data


class FieldSpec(Spec):
    """An attribute of a composite type: ``street: text`` or ``{type: text, collation: C,
    comment: …}`` (the comment is ``COMMENT ON COLUMN type.attribute``)."""

    type: str
    collation: str | None = None
    comment: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"type": data} if isinstance(data, str) else data


class RangeSpec(Spec):
    """``range: {subtype: timestamptz}`` (or just ``range: timestamptz``) and its options."""

    subtype: str
    subtype_opclass: str | None = None
    collation: str | None = None
    canonical: str | None = None
    subtype_diff: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"subtype": data} if isinstance(data, str) else data


class TypeSpec(Spec):
    """A composite type (``fields:``) or a range type (``range:``) — exactly one of them."""

    fields: Annotated[dict[str, FieldSpec], BeforeValidator(_each(FieldSpec.expand))] | None = None
    range: Annotated[RangeSpec | None, BeforeValidator(RangeSpec.expand)] = None
    comment: str | None = None
    grants: Grants = None  # [privileges]
    owner: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> TypeSpec:
        if (self.fields is None) == (self.range is None):
            raise problem("a type has either `fields:` (composite) or `range:`", "write one of the two")
        return self
