"""A declared table's unique constraints, CHECKs and foreign keys (as drafts), written on a
column (``unique: true``, ``check:``, ``references:``) or at table level, each named as
PostgreSQL would name it and claimed once per table (:meth:`TableBuilder.claim`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from pgreconcile.declare.build.references import ForeignKeyDraft
from pgreconcile.declare.spec.constraint_specs import CheckSpec, ForeignKeySpec
from pgreconcile.declare.spec.language import TableSpec
from pgreconcile.declare.spec.names import check_column, foreign_key_name, unique_name
from pgreconcile.declare.spec.names import check_name as implicit_check_name
from pgreconcile.model.objects import CheckConstraint, FkAction, Origin, UniqueConstraint
from pgreconcile.normalize.expressions import column_refs
from pgreconcile.normalize.lexical import identifier_words
from pgreconcile.normalize.storage_options import option_pairs

# The names a CHECK written on a column reads: the same `status IN (...)` on every table.
_identifier_words = lru_cache(maxsize=65536)(identifier_words)


class _Builder(Protocol):
    """What this needs of declare.build.tables.TableBuilder (which calls it with itself)."""

    spec: TableSpec
    name: str
    check_sql: bool

    def at(self, *path: str | int) -> Origin: ...
    def error(self, origin: Origin, message: str, hint: str | None = None) -> None: ...
    def sql(self, text: str, what: str, *path: str | int) -> bool: ...
    def existing(self, names: list[str], what: str, *path: str | int) -> bool: ...
    def claim(self, name: str, what: str, origin: Origin) -> bool: ...
    def deferral(self, deferrable: bool | None, initially_deferred: bool) -> tuple[bool, bool] | None: ...


def build_uniques(builder: _Builder) -> list[UniqueConstraint]:
    """Column-level ``unique: true``, then the table-level ``unique:`` entries."""
    return [*_column_uniques(builder), *_table_uniques(builder)]


def build_checks(builder: _Builder) -> list[CheckConstraint]:
    """Column-level ``check:``, then the table-level ``checks:``."""
    return [*_column_checks(builder), *_table_checks(builder)]


def build_foreign_keys(builder: _Builder) -> list[ForeignKeyDraft]:
    """Column-level ``references:``, then the table-level ``foreign_keys:`` (targets resolved
    later, once every table is built: declare/build/references.py)."""
    return [*_column_references(builder), *_table_foreign_keys(builder)]


def _column_uniques(builder: _Builder) -> list[UniqueConstraint]:
    out = []
    for name, spec in builder.spec.columns.items():
        if spec.unique:
            origin = builder.at("columns", name, "unique")
            constraint = unique_name(builder.name, [name])
            if builder.claim(constraint, "unique constraint", origin):
                out.append(UniqueConstraint(constraint, (name,), origin=origin))
    return out


def _column_checks(builder: _Builder) -> list[CheckConstraint]:
    out = []
    for name, spec in builder.spec.columns.items():
        if spec.check is None:
            continue
        origin = builder.at("columns", name, "check")
        if not builder.sql(spec.check, f"column {name}: check", "columns", name, "check"):
            continue
        # PostgreSQL names a CHECK after the one column it reads, wherever it was written.
        read = check_column(
            column_refs(spec.check) if builder.check_sql else _identifier_words(spec.check), builder.spec.columns
        )
        constraint = implicit_check_name(builder.name, read)
        if builder.claim(constraint, "check", origin):
            out.append(CheckConstraint(constraint, spec.check, origin))
    return out


def _column_references(builder: _Builder) -> list[ForeignKeyDraft]:
    out = []
    for name, spec in builder.spec.columns.items():
        ref = spec.references
        if ref is None:
            continue
        origin = builder.at("columns", name, "references")
        deferral = builder.deferral(ref.deferrable, ref.initially_deferred)
        if deferral is None:
            builder.error(origin, f"column {name}: initially_deferred needs deferrable (remove `deferrable: false`)")
            continue
        constraint = foreign_key_name(builder.name, [name])
        if builder.claim(constraint, "foreign key", origin):
            out.append(
                ForeignKeyDraft(
                    constraint,
                    (name,),
                    ref.table,
                    (ref.column,) if ref.column else None,
                    ref.on_delete,
                    ref.on_update,
                    *deferral,
                    origin,
                )
            )
    return out


def _table_uniques(builder: _Builder) -> list[UniqueConstraint]:
    out = []
    for i, spec in enumerate(builder.spec.unique):
        origin = builder.at("unique", i)
        if not spec.columns:
            builder.error(origin, "a unique constraint lists no columns")
            continue
        if not builder.existing(spec.columns, "unique constraint", "unique", i, "columns"):
            continue
        if not builder.existing(spec.include, "unique constraint", "unique", i, "include"):
            continue
        deferral = builder.deferral(spec.deferrable, spec.initially_deferred)
        if deferral is None:
            builder.error(origin, "unique constraint: initially_deferred needs deferrable")
            continue
        if not temporal_columns(builder, spec.without_overlaps, spec.columns, "unique constraint", "unique", i):
            continue
        name = spec.name or unique_name(builder.name, spec.columns)
        if builder.claim(name, "unique constraint", origin):
            out.append(
                UniqueConstraint(
                    name, tuple(spec.columns), *deferral, origin=origin, renamed_from=spec.renamed_from,
                    nulls_not_distinct=spec.nulls_not_distinct, comment=spec.comment,
                    index_comment=spec.index_comment,
                    include=tuple(spec.include), options=option_pairs(spec.options),
                    without_overlaps=spec.without_overlaps,
                )
            )
    return out


def temporal_columns(
    builder: _Builder, without_overlaps: bool, columns: list[str], what: str, *path: str | int
) -> bool:
    """A temporal key (PostgreSQL 18 ``WITHOUT OVERLAPS``, on its last column) needs another
    column before that one: PostgreSQL refuses a key of the range alone."""
    if without_overlaps and len(columns) < 2:
        builder.error(
            builder.at(*path, "without_overlaps"),
            f"{what}: without_overlaps needs at least two columns (the last one is the range)",
            "list the columns that identify a row before the range column, or remove `without_overlaps: true`",
        )
        return False
    return True


def enforcement(builder: _Builder, spec: CheckSpec | ForeignKeySpec, what: str, *path: str | int) -> bool | None:
    """Whether the constraint is validated: a NOT ENFORCED one (PostgreSQL 18) never is — the
    catalog says NOT VALID — so ``validated: true`` beside ``enforced: false`` is a contradiction
    (None); otherwise ``validated`` as written."""
    if spec.enforced:
        return spec.validated
    if "validated" in spec.model_fields_set and spec.validated:
        builder.error(
            builder.at(*path, "validated"),
            f"{what}: a NOT ENFORCED constraint is never validated",
            "remove `validated: true` (or `enforced: false`)",
        )
        return None
    return False


def _table_checks(builder: _Builder) -> list[CheckConstraint]:
    out = []
    for name, check in builder.spec.checks.items():
        origin = builder.at("checks", name)
        # The line of `expression:` in the long form, of the check itself in the short one.
        where = ("checks", name, "expression")
        validated = enforcement(builder, check, f"check {name}", "checks", name)
        if validated is None:
            continue
        if builder.sql(check.expression, f"check {name}", *where) and builder.claim(name, "check", origin):
            out.append(
                CheckConstraint(
                    name, check.expression, origin, check.renamed_from,
                    no_inherit=check.no_inherit, validated=validated, comment=check.comment,
                    enforced=check.enforced,
                )
            )
    return out


def _table_foreign_keys(builder: _Builder) -> list[ForeignKeyDraft]:
    out = []
    for name, spec in builder.spec.foreign_keys.items():
        origin = builder.at("foreign_keys", name)
        if not spec.columns:
            builder.error(origin, f"foreign key {name} lists no columns")
            continue
        if not builder.existing(spec.columns, f"foreign key {name}", "foreign_keys", name, "columns"):
            continue
        deferral = builder.deferral(spec.deferrable, spec.initially_deferred)
        if deferral is None:
            builder.error(origin, f"foreign key {name}: initially_deferred needs deferrable")
            continue
        validated = enforcement(builder, spec, f"foreign key {name}", "foreign_keys", name)
        if validated is None or not _period(builder, spec, name):
            continue
        target = spec.references
        if builder.claim(name, "foreign key", origin):
            out.append(
                ForeignKeyDraft(
                    name,
                    tuple(spec.columns),
                    target.table,
                    tuple(target.columns) if target.columns else None,
                    spec.on_delete,
                    spec.on_update,
                    *deferral,
                    origin,
                    spec.renamed_from,
                    validated,
                    spec.comment,
                    spec.enforced,
                    spec.period,
                )
            )
    return out


def _period(builder: _Builder, spec: ForeignKeySpec, name: str) -> bool:
    """What PostgreSQL 18 refuses of a temporal foreign key, caught before any statement runs:
    the PERIOD column alone, and an action other than NO ACTION."""
    if not spec.period:
        return True
    if len(spec.columns) < 2:
        builder.error(
            builder.at("foreign_keys", name, "period"),
            f"foreign key {name}: period needs at least two columns (the last one is the range)",
            "list the referencing columns before the range column, or remove `period: true`",
        )
        return False
    for key, action in (("on_delete", spec.on_delete), ("on_update", spec.on_update)):
        if action is not FkAction.NO_ACTION:
            builder.error(
                builder.at("foreign_keys", name, key),
                f"foreign key {name}: a PERIOD foreign key allows no {key} action but `no action` (PostgreSQL 18)",
                f"remove `{key}: {action.value}`",
            )
            return False
    return True
