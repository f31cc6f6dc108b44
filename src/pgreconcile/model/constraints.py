"""Keys, constraints and indexes of a table: primary keys, unique constraints, foreign keys,
CHECKs and indexes, with the enums they use. Re-exported by :mod:`pgreconcile.model.objects`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.origin import Origin


class FkAction(StrEnum):
    """What a foreign key does when the referenced row is deleted or updated."""

    NO_ACTION = "no action"
    RESTRICT = "restrict"
    CASCADE = "cascade"
    SET_NULL = "set null"
    SET_DEFAULT = "set default"


class IndexMethod(StrEnum):
    """Index access methods the declaration language accepts."""

    BTREE = "btree"
    HASH = "hash"
    GIN = "gin"
    GIST = "gist"
    BRIN = "brin"
    SPGIST = "spgist"


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    name: str
    columns: tuple[str, ...]
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
    deferrable: bool = False
    initially_deferred: bool = False
    # COMMENT ON INDEX of the index that implements the key (named after it), not the constraint's.
    index_comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
    # Of the index behind it: covering columns (INCLUDE) and storage parameters (WITH (…)) as
    # canonical (name, value) pairs, as an Index holds them.
    include: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    # PostgreSQL 18 temporal key: ``(…, last WITHOUT OVERLAPS)`` — the last column is a range
    # (or multirange) whose values may not overlap for equal other columns (a GiST index).
    without_overlaps: bool = False


@dataclass(frozen=True, slots=True)
class UniqueConstraint:
    name: str
    columns: tuple[str, ...]
    deferrable: bool = False
    initially_deferred: bool = False
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    # UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+): two NULLs count as equal.
    nulls_not_distinct: bool = False
    comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
    index_comment: str | None = field(default=None, compare=False)  # the key's index, as a primary key's
    include: tuple[str, ...] = ()  # as PrimaryKey's
    options: tuple[tuple[str, str], ...] = ()
    without_overlaps: bool = False  # see PrimaryKey.without_overlaps


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key from ``columns`` of its table to ``ref_columns`` of ``ref_schema.ref_table``."""

    name: str
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: FkAction = FkAction.NO_ACTION
    on_update: FkAction = FkAction.NO_ACTION
    deferrable: bool = False
    initially_deferred: bool = False
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    # False: created NOT VALID (existing rows unchecked); see CheckConstraint.validated.
    validated: bool = True
    comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
    # False: NOT ENFORCED (PostgreSQL 18), see CheckConstraint.enforced.
    enforced: bool = True
    # PostgreSQL 18 temporal foreign key: the last column on each side is ``PERIOD`` (a range the
    # referenced rows' ranges must together cover).
    period: bool = False


@dataclass(frozen=True, slots=True)
class CheckConstraint:
    """A CHECK constraint; ``expression`` is SQL without the surrounding ``CHECK (...)``.

    ``validated`` False means existing rows were not checked (``NOT VALID``); declared False, it
    is a constraint that need not be validated (a live validated one satisfies it), declared True
    on a live NOT VALID one, it is validated in place. ``no_inherit``: ``NO INHERIT``.
    ``enforced`` False: ``NOT ENFORCED`` (PostgreSQL 18) — kept in the catalog, checked neither
    on existing rows nor on new ones, so never validated either."""

    name: str
    expression: str
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    no_inherit: bool = False
    validated: bool = True
    comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
    enforced: bool = True
    # [inheritance] Live only: a parent has this CHECK too (pg_constraint.coninhcount > 0), so the
    # child cannot drop it while it inherits from that parent.
    inherited: bool = field(default=False, compare=False)
    # Live only: the columns the expression reads, as the server found them (conkey); None when
    # not known (declared), where the expression is parsed instead (normalize.expressions).
    reads: tuple[str, ...] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Index:
    """A secondary index (indexes that back a PRIMARY KEY or UNIQUE constraint are not here).

    ``elements`` are the key parts as written in ``CREATE INDEX``: a column or a parenthesised
    expression, optionally followed by an operator class, ``DESC`` and ``NULLS FIRST|LAST``
    (e.g. ``"created_at DESC"``, ``"lower(nickname)"``). ``include`` lists covering columns.
    """

    name: str
    elements: tuple[str, ...]
    unique: bool = False
    method: IndexMethod = IndexMethod.BTREE
    where: str | None = None
    include: tuple[str, ...] = ()
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)
    comment: str | None = field(default=None, compare=False)  # compared in diff/sub_comments.py
    # ``NULLS NOT DISTINCT`` (PostgreSQL 15+: a unique index then allows one NULL, not many) and
    # storage parameters (``WITH (fillfactor = 70)``) as canonical (name, value) pairs.
    nulls_not_distinct: bool = False
    options: tuple[tuple[str, str], ...] = ()
    # The options as written, in their order (never compared; see Table.options_text).
    options_text: tuple[tuple[str, str], ...] = field(default=(), compare=False)
