"""Probes of a column's type change beyond the cast check (which :mod:`.choose` makes): values a
lossy cast changes, rows carrying the labels a rebuilt enum removes, and a declared ``USING``
expression evaluated over the rows."""

from __future__ import annotations

from pgreconcile.diff.changes import AlterColumn
from pgreconcile.normalize.lexical import identifier_words
from pgreconcile.normalize.types import base_of
from pgreconcile.plan.facts import Fact, FactKind
from pgreconcile.probe import sql, wording
from pgreconcile.probe.conversions import Check, changed_check
from pgreconcile.probe.probes import Numbers, Probe, unmeasurable
from pgreconcile.quoting import ident, literal

# A removed enum label with no declared replacement (see relabel_probe).
_UNMAPPED = "\x00unmapped"


def changed_probe(index: int, table: tuple[str, str], column: str, change: AlterColumn, check: Check) -> Probe:
    """Values a lossy cast keeps but changes: rounded to fewer digits, or cut to a date."""
    new = change.new.type
    how = "the time of day is dropped" if base_of(new) == "date" else f"rounded to {new}"
    changed = f"{column} IS NOT NULL AND {changed_check(column, change.old.type, new, check)}"
    aggregates = (sql.count_values(column), sql.count_where(changed))
    read = lambda v: (wording.values_changed(v[1], v[0], how),)  # noqa: E731
    return Probe(index, table, (FactKind.VALUES_CHANGED,), read, aggregates=aggregates)


def relabelled_nulls(column: str, change: AlterColumn) -> str:
    """The column as NULL where a rebuilt enum maps its label to NULL (never raising: rows with
    a label removed without a replacement are counted by the relabel probe instead)."""
    assert change.conversion is not None
    to_null = [before for before, after in change.conversion.relabel if after is None]
    if not to_null or change.old.type.endswith("[]"):
        return column
    labels = ", ".join(literal(v) for v in to_null)
    return f"(CASE WHEN {column}::text IN ({labels}) THEN NULL ELSE {column}::text END)"


def relabel_probe(index: int, table: tuple[str, str], change: AlterColumn) -> Probe:
    """An enum rebuilt without some labels: the rows carrying each removed label, which move to
    its declared replacement — or, with none declared, would fail the apply."""
    assert change.conversion is not None
    column = ident(change.old.name)
    array = change.old.type.endswith("[]")
    labels = [*change.conversion.relabel, *((v, _UNMAPPED) for v in change.conversion.unmapped)]

    def carrying(label: str) -> str:
        return f"{literal(label)} = ANY ({column}::text[])" if array else f"{column}::text = {literal(label)}"

    aggregates = (sql.COUNT_ROWS, *(sql.count_where(carrying(label)) for label, _ in labels))

    def read(v: Numbers) -> tuple[Fact, ...]:
        return tuple(wording.removed_label(label, target, count, v[0]) for (label, target), count in zip(
            labels, v[1:], strict=True
        ))  # fmt: skip

    return Probe(index, table, (FactKind.NOT_LABELS,), read, aggregates=aggregates)


def using_probe(index: int, table: tuple[str, str], change: AlterColumn, using: str, others: set[str]) -> Probe:
    """A declared ``convert: {using: …}``: evaluated over every row, as the apply will. A data
    exception raised on some row is an apply that fails; non-NULL values it maps to NULL are
    counted (under NOT NULL the NULLs probe refuses them)."""
    words = identifier_words(using)
    if any(name in words or name.lower() in words for name in others):
        return unmeasurable(index, table, FactKind.NOT_CONVERTED, "the expression reads columns this plan changes")
    column = ident(change.old.name)
    aggregates = (sql.count_values(column), sql.count_where(f"{column} IS NOT NULL AND ({using}) IS NULL"))
    read = lambda v: (wording.using_nulls(v[1], v[0]),)  # noqa: E731
    return Probe(
        index, table, (FactKind.NOT_CONVERTED,), read, aggregates=aggregates,
        on_data_error=lambda why: (wording.using_raises(why),),
    )  # fmt: skip
