"""Facts: what probing the live data found about one step, as plain data.

A fact is measured (``count`` set) or not (``count`` None: the probe timed out, failed, or no
exact check exists), and may predict that the apply will fail (``blocks``): NULLs under a new
NOT NULL, duplicate keys under a new UNIQUE, orphan rows under a new foreign key, values that
a conversion rejects. Such a plan is refused before anything runs (see :func:`refusal`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pgreconcile.diff.actions import Hazard


class FactKind(StrEnum):
    """What a probe counted; ``count`` and ``total`` mean, per kind:"""

    ROWS_LOST = "rows lost"  # rows of a dropped table; total = the same
    VALUES_LOST = "values lost"  # non-null values of a dropped column; total = rows
    NOT_CONVERTED = "values not converted"  # values a type conversion rejects; total = non-null values
    TOO_LONG = "values too long"  # values longer than a new varchar(n); total = non-null values
    NOT_LABELS = "values not enum labels"  # values that are not labels of the new enum; total = non-null values
    NULLS = "nulls"  # rows with a NULL where NOT NULL is coming; total = rows
    DUPLICATES = "duplicates"  # key values held by more than one row; total = rows with a complete key
    ORPHANS = "orphans"  # rows whose key has no parent row; total = rows with a complete key
    CHECK_VIOLATIONS = "check violations"  # rows a new CHECK rejects; total = rows
    # values a lossy conversion keeps but changes (rounded, cut to a date); total = non-null values
    VALUES_CHANGED = "values changed"
    MOVED = "rows moved"  # rows whose absorbed columns carry data into a JSONB group; total = rows
    # [partitions] rows of a DEFAULT partition that a new partition's bound takes; total = its rows
    IN_DEFAULT = "rows in the default partition"
    # [partitions] rows of a table to attach that its declared bound does not take; total = its rows
    OUTSIDE_BOUND = "rows outside the bound"


# Kinds whose measurement replaces a hazard's bare word on the step's line: "drops data: 1,204
# rows" says more than "drops data", and "no NULLs in 5,000 rows" answers "may fail on existing
# data" for this database.
_ANSWERS = {
    FactKind.ROWS_LOST: Hazard.DROPS_DATA,
    FactKind.VALUES_LOST: Hazard.DROPS_DATA,
    FactKind.VALUES_CHANGED: Hazard.DROPS_DATA,
    FactKind.NOT_CONVERTED: Hazard.MAY_FAIL_ON_DATA,
    FactKind.TOO_LONG: Hazard.MAY_FAIL_ON_DATA,
    FactKind.NOT_LABELS: Hazard.MAY_FAIL_ON_DATA,
    FactKind.NULLS: Hazard.MAY_FAIL_ON_DATA,
    FactKind.DUPLICATES: Hazard.MAY_FAIL_ON_DATA,
    FactKind.ORPHANS: Hazard.MAY_FAIL_ON_DATA,
    FactKind.CHECK_VIOLATIONS: Hazard.MAY_FAIL_ON_DATA,
    FactKind.IN_DEFAULT: Hazard.MAY_FAIL_ON_DATA,  # [partitions]
    FactKind.OUTSIDE_BOUND: Hazard.MAY_FAIL_ON_DATA,
}

# What to do when a fact blocks the apply, said in the refusal.
_REMEDIES = {
    FactKind.NOT_CONVERTED: "fix or clear those values, or declare how to convert them (`convert:`)",
    FactKind.TOO_LONG: "shorten those values, or declare a longer type",
    FactKind.NOT_LABELS: "change those values to labels, or declare the missing labels",
    FactKind.NULLS: "fill in or delete those rows, or change the declaration (nullable, a default, another key)",
    FactKind.DUPLICATES: "remove the duplicates, or declare a different key",
    FactKind.ORPHANS: "delete those rows, set their key to NULL, or add the missing parent rows",
    FactKind.CHECK_VIOLATIONS: "fix those rows, or change the check",
    # [partitions]
    FactKind.IN_DEFAULT: "move those rows out of the DEFAULT partition (or delete them), or declare another bound",
    FactKind.OUTSIDE_BOUND: "move those rows elsewhere (or delete them), or declare a bound that takes them",
}


@dataclass(frozen=True)
class Fact:
    """One thing probing found (or could not find out) about a step's data.

    ``kind`` is None only for a text-only fact read from a format 1.0 plan document."""

    kind: FactKind | None
    text: str
    count: int | None = None
    total: int | None = None
    blocks: bool = False

    @property
    def measured(self) -> bool:
        return self.count is not None

    def answers(self, hazard: Hazard) -> bool:
        """Whether this fact says more than ``hazard``'s bare word, so a view may show it instead.

        A loss answers *drops data* only when something is lost: "the table is empty" next to
        a plan that still needs --allow-destroy must not hide why."""
        if self.kind is None or not self.measured or _ANSWERS.get(self.kind) is not hazard:
            return False
        return hazard is not Hazard.DROPS_DATA or bool(self.count)


def refusal(table: str | None, label: str, fact: Fact) -> str:
    """The sentence that refuses a plan because of a blocking fact, with what to do about it."""
    where = f"{table}: {label}" if table and not label.startswith("table ") else label
    remedy = _REMEDIES.get(fact.kind) if fact.kind else None
    tail = f"; {remedy}, then plan again" if remedy else "; fix the data, then plan again"
    return f"{where}: {fact.text}{tail}"
