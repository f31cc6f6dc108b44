"""The language of ``conventions:``: the rules a document's declarations must follow (checked by
:mod:`pgreconcile.conventions`, never part of the model)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator

from pgreconcile.declare.spec.base import Names, Spec


class PrimaryKeyConvention(StrEnum):
    """``conventions: {primary_key: ...}``: what every table's primary key must be."""

    UUID = "uuid"  # one column, of type uuid


class TimestampConvention(StrEnum):
    """``conventions: {timestamps: ...}``: which timestamp type columns may use."""

    TIMESTAMPTZ = "timestamptz"  # never `timestamp without time zone`


class EnumLabelConvention(StrEnum):
    """``conventions: {enum_labels: ...}``: how enum labels are spelled."""

    LOWERCASE = "lowercase"
    # SQLAlchemy models: an Enum over a Python enum gets the members' values as labels, as with
    # values_callable, even where the model leaves values_callable out (docs/sqlalchemy.md).
    VALUES = "values"


def _lower(value: Any) -> Any:
    """``UUID`` and ``uuid`` are one convention value (and an error message shows what was written)."""
    return value.strip().lower() if isinstance(value, str) else value


class ConventionsSpec(Spec):
    """Rules the desired schema must satisfy, checked by ``reconcile lint`` and before every plan
    (:mod:`pgreconcile.conventions`). A key left out, or set to null, is not checked."""

    primary_key: Annotated[PrimaryKeyConvention | None, BeforeValidator(_lower)] = None
    timestamps: Annotated[TimestampConvention | None, BeforeValidator(_lower)] = None
    enum_labels: Annotated[EnumLabelConvention | None, BeforeValidator(_lower)] = None
    rls: Names | None = None  # schemas whose every table has row-level security enabled
    foreign_keys_indexed: bool | None = None
    security_definer_search_path: bool | None = None  # [routines] SECURITY DEFINER sets search_path
