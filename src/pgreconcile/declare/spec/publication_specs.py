"""The language of default privileges and publications (``grants:`` and ``owner:`` are in
:mod:`.access`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from pgreconcile.declare.spec.access import Grants
from pgreconcile.declare.spec.base import Names, Spec, names_or_each
from pgreconcile.declare.spec.base import one_or_many as _one_or_many

# [privileges] Default privileges and publications (grants: above ColumnSpec).


class DefaultPrivilegesSpec(Spec):
    """``default_privileges:`` of a schema: the grants objects get when they are created in it."""

    for_role: str | None = None  # default: the role that applies the plan
    tables: Grants = None
    sequences: Grants = None
    functions: Grants = None
    types: Grants = None


class PublishedTableSpec(Spec):
    """One table of a publication: an optional column list and row filter (PostgreSQL 15+)."""

    columns: Names | None = None
    where: str | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


class PublicationSpec(Spec):
    """``publications: {name: {tables: [...], schemas: [...], publish: [...]}}``."""

    all_tables: bool = False
    tables: Annotated[dict[str, PublishedTableSpec], BeforeValidator(names_or_each(PublishedTableSpec.expand))] = Field(
        default_factory=dict
    )
    schemas: Names = Field(default_factory=list)
    publish: Annotated[
        list[Literal["insert", "update", "delete", "truncate"]], BeforeValidator(_one_or_many)
    ] = ["insert", "update", "delete", "truncate"]
    via_partition_root: bool = False
    comment: str | None = None
    owner: str | None = None  # compared only when written

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data


class RoleSpec(Spec):
    """One role of ``roles:``, created when the server lacks it (model/roles.py)."""

    login: bool = False

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {} if data is None else data
