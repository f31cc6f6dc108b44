"""The language of partitioned tables: ``partition_by`` and ``partitions:`` with their bounds,
written as values, never as SQL (resolved in :mod:`pgreconcile.declare.build.partitions`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from pgreconcile.declare.spec.base import Keyed, Spec, problem

# [partitions] The `partitions:` language: a bound is written as its values, never as SQL —
# {from: 2026-10-01, to: 2026-11-01} (RANGE; one value per key column, MINVALUE/MAXVALUE for
# the open ends), {in: [eu, uk]} (LIST), {modulus: 4, remainder: 0} (HASH) or {default: true}.
BoundValue = str | int | float | bool | None


def _values(value: Any) -> Any:
    """One value or a list of them; dates (YAML reads ``2026-10-01`` as one) become ISO text."""
    items = value if isinstance(value, list) else [value]
    return [v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date) else v
            for v in items]


# Editors see what may be written: one value or a list (a YAML date is a value too).
Values = Annotated[
    list[BoundValue], BeforeValidator(_values, json_schema_input_type=BoundValue | list[BoundValue])
]


class ColumnDefaultSpec(Spec):
    """A partition's own default for one column: ``default`` (a value, quoted for the column's
    type) or ``default_sql`` (an SQL expression), as a column declares its default."""

    default: Any = None
    default_sql: str | None = None


class AttachedIndexSpec(Spec):
    """The long form of an attached index: the table's index it is attached to (``index``) and
    the partition's index's own comment (``COMMENT ON INDEX``; none when left out)."""

    index: str
    comment: str | None = None


class PartitionSpec(Spec):
    """One partition: its bound, and ``partition_by`` + ``partitions`` when it is partitioned too."""

    from_: Values | None = Field(default=None, alias="from")
    to: Values | None = None
    in_: Values | None = Field(default=None, alias="in")
    modulus: int | None = None
    remainder: int | None = None
    default: bool = False
    partition_by: str | None = None
    partitions: Keyed[PartitionSpec] = Field(default_factory=dict)
    comment: str | None = None
    # Where the partition lives when not in its table's schema.
    schema_: str | None = Field(default=None, alias="schema")
    # What the partition holds of its own (as a table declares them; its columns are the
    # table's): keys and indexes not attached to the table's, foreign keys and CHECKs not the
    # table's, RLS and policies, replica identity.
    primary_key: Any = None
    unique: Any = None
    indexes: Any = None
    rls: Any = None
    policies: Any = None
    replica_identity: str | None = None
    foreign_keys: Any = None
    checks: Any = None
    # Columns the partition holds NOT NULL although the table's are nullable.
    not_null: list[str] = Field(default_factory=list)
    # PostgreSQL 18: the names of its NOT NULLs, {column: name} — those it inherits from the
    # table and its own; a column not listed keeps its live name (a new partition: PostgreSQL's).
    not_null_names: dict[str, str] = Field(default_factory=dict)
    # Its own defaults where they differ from the table's: {column: {default: 10}}, or
    # {column: null} for none although the table's column has one.
    column_defaults: dict[str, ColumnDefaultSpec | None] = Field(default_factory=dict)
    # Its indexes attached to an index of the table: {partition's index: table's index}, or
    # {partition's index: {index: table's index, comment: …}} to comment on the partition's.
    attached: dict[str, str | AttachedIndexSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_bound(self) -> PartitionSpec:
        forms = [
            name
            for name, written in (
                ("from/to", self.from_ is not None or self.to is not None),
                ("in", self.in_ is not None),
                ("modulus/remainder", self.modulus is not None or self.remainder is not None),
                ("default", self.default),
            )
            if written
        ]
        hint = "write {from: …, to: …}, {in: […]}, {modulus: …, remainder: …} or {default: true}"
        if len(forms) != 1:
            what = "no bound" if not forms else f"more than one bound ({', '.join(forms)})"
            raise problem(f"a partition needs exactly one bound, got {what}", hint)
        if (self.from_ is None) != (self.to is None):
            raise problem("a range partition needs both `from` and `to`", hint)
        if (self.modulus is None) != (self.remainder is None):
            raise problem("a hash partition needs both `modulus` and `remainder`", hint)
        if self.from_ is not None and self.to is not None and len(self.from_) != len(self.to):
            raise problem("`from` and `to` must list as many values (one per key column)")
        if self.in_ is not None and not self.in_:
            raise problem("`in` lists no value", hint)
        if bool(self.partitions) and self.partition_by is None:
            raise problem("the partition has `partitions` but no `partition_by`",
                          "declare its key: partition_by: list (region)")
        return self
