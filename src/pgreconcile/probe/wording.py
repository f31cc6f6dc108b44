"""The facts a reviewer reads: numbers from a probe → :class:`~pgreconcile.plan.facts.Fact`.

One function per kind of finding, so every plan says the same thing the same way. A fact that
predicts a failure ends with "apply will fail" and is marked ``blocks``.
"""

from __future__ import annotations

from enum import Enum

from pgreconcile.plan.facts import Fact, FactKind

FAILS = "apply will fail"

# What a probe of each kind measures, for the facts that say it could not.
SUBJECTS = {
    FactKind.ROWS_LOST: "rows",
    FactKind.VALUES_LOST: "values",
    FactKind.NOT_CONVERTED: "conversion",
    FactKind.TOO_LONG: "lengths",
    FactKind.NOT_LABELS: "labels",
    FactKind.NULLS: "NULLs",
    FactKind.DUPLICATES: "duplicates",
    FactKind.ORPHANS: "orphans",
    FactKind.CHECK_VIOLATIONS: "check",
    FactKind.VALUES_CHANGED: "changed values",
    FactKind.MOVED: "rows to move",
    FactKind.IN_DEFAULT: "rows of the default partition",
    FactKind.OUTSIDE_BOUND: "rows outside the bound",
}


class Outcome(Enum):
    """What the apply does with a value its conversion rejects."""

    FAIL = "fail"  # the ALTER raises: the whole transaction rolls back
    NULL = "null"  # the conversion turns it into NULL (`convert: {on_invalid: null}`)
    UNKNOWN = "unknown"  # a declared conversion this version cannot see into


def n(count: int) -> str:
    """A count as people read it: 12,345."""
    return f"{count:,}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{n(count)} {one if count == 1 else many}"


def _every(count: int, noun: str, verb_one: str, verb_many: str) -> str:
    """"the 1 value converts" / "all 12,345 values convert"."""
    return f"the 1 {noun} {verb_one}" if count == 1 else f"all {n(count)} {noun}s {verb_many}"


def not_measured(kind: FactKind, why: str) -> Fact:
    """A probe that could not answer: timed out, failed, or has no exact check."""
    return Fact(kind, f"{SUBJECTS[kind]} not measured: {why}")


def rows_lost(rows: int) -> Fact:
    text = f"drops data: {_plural(rows, 'row', 'rows')}" if rows else "the table is empty"
    return Fact(FactKind.ROWS_LOST, text, rows, rows)


def rows_moved(moved: int, rows: int, group: str) -> Fact:
    if moved:
        text = f"{n(moved)} of {_plural(rows, 'row', 'rows')} carry data into {group}"
    else:
        text = f"no row has data to move ({_plural(rows, 'row', 'rows')})" if rows else "the table is empty"
    return Fact(FactKind.MOVED, text, moved, rows)


def values_lost(values: int, rows: int) -> Fact:
    if values:
        text = f"drops data: {_plural(values, 'non-null value', 'non-null values')}"
    elif rows:
        text = f"every value is NULL ({_plural(rows, 'row', 'rows')})"
    else:
        text = "the table is empty"
    return Fact(FactKind.VALUES_LOST, text, values, rows)


def rejected(
    kind: FactKind, bad: int, values: int, noun: str, outcome: Outcome, unsure: int = 0, target: str | None = None
) -> Fact:
    """Values a conversion rejects (``noun``: "are not uuids"); ``unsure`` values could not be
    checked, so then the count is a lower bound or nothing is known. ``target``: the new type,
    named when every value converts ("all 300 values fit character varying(20)")."""
    if unsure and not bad:
        return not_measured(
            kind, f"{n(unsure)} of {n(values)} values are in a form only PostgreSQL 16 and later can check"
        )
    if not bad:
        text = _every(values, "value", "converts", "convert") if values else "no values to convert"
        if target and values:
            text += f" to {target}"
        if kind is FactKind.TOO_LONG and values:
            text = _every(values, "value", "fits", "fit") + (f" {target}" if target else "")
        elif kind is FactKind.NOT_LABELS and values:
            text = _every(values, "value", "is a label", "are labels")
        return Fact(kind, text, 0, values)
    least = "at least " if unsure else ""
    text = f"{least}{n(bad)} of {n(values)} values {noun}"
    if unsure:
        text += f" ({n(unsure)} more not checked)"
    if outcome is Outcome.NULL:
        return Fact(kind, text + " → NULL", bad, values)
    if outcome is Outcome.FAIL:
        return Fact(kind, f"{text}: {FAILS}", bad, values, blocks=True)
    return Fact(kind, text, bad, values)


def values_changed(changed: int, values: int, how: str) -> Fact:
    """Values a lossy conversion keeps but changes (``how``: "rounded to integer")."""
    if not changed:
        text = f"no value changes ({_plural(values, 'value', 'values')})" if values else "no values to convert"
        return Fact(FactKind.VALUES_CHANGED, text, 0, values)
    text = f"drops data: {n(changed)} of {n(values)} values change ({how})"
    return Fact(FactKind.VALUES_CHANGED, text, changed, values)


def removed_label(label: str, target: str | None, count: int, rows: int) -> Fact:
    """Rows carrying an enum label the rebuilt type no longer has. ``target``: its declared
    replacement (None: NULL; ``"\x00unmapped"``: none declared, so the apply would fail)."""
    shown = repr(label)
    if target == "\x00unmapped":
        if not count:
            return Fact(FactKind.NOT_LABELS, f"no row carries removed label {shown}", 0, rows)
        text = (
            f"{n(count)} of {_plural(rows, 'row', 'rows')} {'carries' if count == 1 else 'carry'} label {shown}, "
            "removed without a replacement "
            f"(declare `removed_values: {{{label}: <label or null>}}`): {FAILS}"
        )
        return Fact(FactKind.NOT_LABELS, text, count, rows, True)
    becomes = "NULL" if target is None else repr(target)
    if not count:
        return Fact(FactKind.NOT_LABELS, f"no row carries removed label {shown}", 0, rows)
    verb = "carries" if count == 1 else "carry"
    text = f"{n(count)} of {_plural(rows, 'row', 'rows')} {verb} removed label {shown} → {becomes}"
    return Fact(FactKind.NOT_LABELS, text, count, rows)


def using_raises(error: str) -> Fact:
    """A declared USING expression that raised while the probe evaluated it over the rows."""
    text = f"the USING expression raises on at least one value ({error}): {FAILS}"
    return Fact(FactKind.NOT_CONVERTED, text, 1, None, True)


def using_nulls(count: int, values: int) -> Fact:
    """Non-NULL values a declared USING expression turns into NULL (the column stays nullable)."""
    if not count:
        return Fact(FactKind.NOT_CONVERTED, _every(values, "value", "converts", "convert") if values
                    else "no values to convert", 0, values)
    return Fact(FactKind.NOT_CONVERTED, f"{n(count)} of {n(values)} values become NULL", count, values)


def with_examples(fact: Fact, examples: list[str]) -> Fact:
    """``fact`` followed by a few of the values it counts (only with ``--show-values``)."""
    if not examples:
        return fact
    return Fact(fact.kind, f"{fact.text} (e.g. {', '.join(examples)})", fact.count, fact.total, fact.blocks)


def nulls(count: int, rows: int, *, key: bool = False) -> Fact:
    """NULLs where NOT NULL is coming (``key``: in a primary key's columns)."""
    if not count:
        text = f"no NULLs in {_plural(rows, 'row', 'rows')}" if rows else "the table is empty"
        return Fact(FactKind.NULLS, text, 0, rows)
    if key:
        where = "has a NULL in the key" if count == 1 else "have a NULL in the key"
    else:
        where = "is NULL" if count == 1 else "are NULL"
    return Fact(FactKind.NULLS, f"{n(count)} of {_plural(rows, 'row', 'rows')} {where}: {FAILS}", count, rows, True)


def rows_without_value(rows: int) -> Fact:
    """A new NOT NULL column with nothing to fill the existing rows."""
    if not rows:
        return Fact(FactKind.NULLS, "the table is empty", 0, 0)
    text = f"{_plural(rows, 'existing row', 'existing rows')} would hold NULL: {FAILS}"
    return Fact(FactKind.NULLS, text, rows, rows, True)


def duplicates(groups: int, rows_in_groups: int, rows: int, incomplete: int = 0) -> Fact:
    """Key values held by several of the ``rows`` with a complete key (``incomplete``: rows
    with a NULL in the key, which a UNIQUE does not compare)."""
    if not groups:
        if rows:
            text = f"no duplicates in {_plural(rows, 'row', 'rows')}"
        else:
            text = "no row has a complete key" if incomplete else "the table is empty"
        return Fact(FactKind.DUPLICATES, text, 0, rows)
    what = "1 key value is held by" if groups == 1 else f"{n(groups)} key values are each held by"
    text = f"{what} more than one row ({n(rows_in_groups)} of {n(rows)} rows): {FAILS}"
    return Fact(FactKind.DUPLICATES, text, groups, rows, True)


def orphans(count: int, rows: int, parent: str) -> Fact:
    if not count:
        text = _every(rows, "reference", "resolves", "resolve") if rows else "no rows reference a parent"
        return Fact(FactKind.ORPHANS, text, 0, rows)
    verb = "references" if count == 1 else "reference"
    text = f"{n(count)} of {_plural(rows, 'row', 'rows')} {verb} no row of {parent}: {FAILS}"
    return Fact(FactKind.ORPHANS, text, count, rows, True)


def check_violations(count: int, rows: int) -> Fact:
    if not count:
        text = _every(rows, "row", "passes", "pass") if rows else "the table is empty"
        return Fact(FactKind.CHECK_VIOLATIONS, text, 0, rows)
    verb = "fails" if count == 1 else "fail"
    text = f"{n(count)} of {_plural(rows, 'row', 'rows')} {verb} the check: {FAILS}"
    return Fact(FactKind.CHECK_VIOLATIONS, text, count, rows, True)


# [partitions]
def rows_in_default(count: int, rows: int, default: str) -> Fact:
    """Rows of the DEFAULT partition ``default`` that a new partition's bound would take."""
    if not count:
        text = f"no row of {default} belongs here" if rows else f"{default} is empty"
        return Fact(FactKind.IN_DEFAULT, text, 0, rows)
    verb = "belongs" if count == 1 else "belong"
    text = f"{n(count)} of {_plural(rows, 'row', 'rows')} of {default} {verb} here: {FAILS}"
    return Fact(FactKind.IN_DEFAULT, text, count, rows, True)


def rows_outside_bound(count: int, rows: int, table: str) -> Fact:
    """[partitions] Rows of ``table``, to be attached as a partition, that its bound does not take."""
    if not count:
        text = f"every row of {table} fits the bound" if rows else f"{table} is empty"
        return Fact(FactKind.OUTSIDE_BOUND, text, 0, rows)
    verb = "lies" if count == 1 else "lie"
    text = f"{n(count)} of {_plural(rows, 'row', 'rows')} of {table} {verb} outside the bound: {FAILS}"
    return Fact(FactKind.OUTSIDE_BOUND, text, count, rows, True)
