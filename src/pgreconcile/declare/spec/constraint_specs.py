"""The language's keys and constraints: ``primary_key``, ``unique``, ``foreign_keys``,
``checks`` and ``exclusions`` of a table (see :mod:`.language` for the rest of a table)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from pgreconcile.declare.spec.base import Keyed, Names, Spec, problem
from pgreconcile.declare.spec.base import words as _words
from pgreconcile.model.objects import FkAction, IndexMethod

Action = Annotated[FkAction, BeforeValidator(_words)]


class PrimaryKeySpec(Spec):
    """Table-level ``primary_key: [a, b]`` or ``{name: ..., columns: [...]}``."""

    name: str | None = None
    columns: Names
    renamed_from: str | None = None
    comment: str | None = None  # COMMENT ON …
    index_comment: str | None = None  # COMMENT ON INDEX of the index that implements it
    deferrable: bool | None = None
    initially_deferred: bool = False
    include: Names = Field(default_factory=list)  # covering columns of its index (INCLUDE)
    # storage parameters of its index: {fillfactor: 70}
    options: Keyed[bool | int | float | str] = Field(default_factory=dict)
    # PostgreSQL 18 temporal key: the last column (a range) is compared WITHOUT OVERLAPS
    without_overlaps: bool = False

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"columns": data} if isinstance(data, list | str) else data


class UniqueSpec(Spec):
    """One unique constraint; ``name`` None means PostgreSQL's implicit name."""

    name: str | None = None
    columns: Names
    deferrable: bool | None = None
    initially_deferred: bool = False
    renamed_from: str | None = None
    nulls_not_distinct: bool = False  # [constraints-types] PostgreSQL 15+
    comment: str | None = None  # COMMENT ON …
    index_comment: str | None = None  # COMMENT ON INDEX of the index that implements it
    include: Names = Field(default_factory=list)  # as the primary key's
    options: Keyed[bool | int | float | str] = Field(default_factory=dict)
    without_overlaps: bool = False  # PostgreSQL 18, as the primary key's


def unique_list(value: Any) -> Any:
    """``unique:`` as ``{name: [cols]}`` / ``{name: {columns: ...}}`` or as ``[[cols], col]``.

    Both become a list in the written order; the line lookup treats the n-th item of the list
    as the n-th key of the mapping, which is what it was. In the list form a bare name is a
    one-column constraint: ``unique: [email]`` makes email unique.
    """
    if value is None:
        return []
    if isinstance(value, dict):
        out: list[Any] = []
        for name, body in value.items():
            if isinstance(body, dict):
                if "name" in body:
                    raise problem(f"{name!r}: the key is the name; remove `name:`")
                out.append({"name": name, **body})
            else:
                out.append({"name": name, "columns": body})
        return out
    if isinstance(value, list):
        return [{"columns": item} if isinstance(item, list | str) else item for item in value]
    return value


class TargetSpec(Spec):
    """``references:`` of a table-level foreign key: ``{table: schema.table, columns: [id]}``;
    a bare ``schema.table`` references its primary key."""

    table: str
    columns: Names | None = None

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"table": data} if isinstance(data, str) else data


class ForeignKeySpec(Spec):
    """A table-level foreign key, keyed by its constraint name."""

    columns: Names
    references: Annotated[TargetSpec, BeforeValidator(TargetSpec.expand)]
    on_delete: Action = FkAction.NO_ACTION
    on_update: Action = FkAction.NO_ACTION
    deferrable: bool | None = None
    initially_deferred: bool = False
    renamed_from: str | None = None
    validated: bool = True  # [constraints-types] false: added NOT VALID
    comment: str | None = None  # COMMENT ON …
    enforced: bool = True  # PostgreSQL 18: false is NOT ENFORCED (kept, never checked)
    period: bool = False  # PostgreSQL 18 temporal key: the last column on each side is PERIOD


class CheckSpec(Spec):
    """A table-level CHECK: ``name: "expression"`` or ``name: {expression: ..., renamed_from: old}``."""

    expression: str
    renamed_from: str | None = None
    no_inherit: bool = False  # [constraints-types]
    validated: bool = True  # [constraints-types] false: added NOT VALID
    comment: str | None = None  # COMMENT ON …
    enforced: bool = True  # PostgreSQL 18: false is NOT ENFORCED (kept, never checked)

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"expression": data} if isinstance(data, str) else data


class NotNullSpec(Spec):
    """A column's or a domain's NOT NULL as a constraint of its own (PostgreSQL 18 for columns,
    17 for domains): ``not_null: email_required`` (its name) or ``not_null: {name: …,
    validated: false, no_inherit: true}``. Says NOT NULL by itself; without a name, the NOT NULL
    keeps whatever name it has."""

    name: str | None = None
    validated: bool = True  # a column's, PostgreSQL 18: false adds it NOT VALID
    no_inherit: bool = False  # a column's, PostgreSQL 18: NO INHERIT (children do not get it)

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class ExclusionSpec(Spec):
    """``name: {using: gist, elements: ["room_id WITH =", "during WITH &&"], where: ...}``; a bare
    list is the elements (of a gist constraint)."""

    elements: Names
    using: Annotated[IndexMethod, BeforeValidator(_words)] = IndexMethod.GIST
    where: str | None = None
    include: Names = Field(default_factory=list)
    deferrable: bool | None = None
    initially_deferred: bool = False
    comment: str | None = None  # COMMENT ON …
    index_comment: str | None = None  # COMMENT ON INDEX of the index that implements it

    @classmethod
    def expand(cls, data: Any) -> Any:
        return {"elements": data} if isinstance(data, list | str) else data
