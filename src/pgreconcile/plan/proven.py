"""Probe-proven type changes: planned without ``convert:`` only when the data says they are safe.

A type change whose only risk is a value that does not convert (a narrower varchar, text →
integer, bigint → integer, a domain whose checks the values must pass) or that the cast rounds
(numeric → integer, timestamptz → date) carries no ``convert:`` block when the probe of the plan
measured every value. What each outcome means:

* every value converts — the step shows it ("all 300 values fit character varying(20)") and
  the plan goes on; apply runs PostgreSQL's own cast, which checks every value again under the
  ACCESS EXCLUSIVE lock: a value written since planning makes the statement fail, and the whole
  transaction rolls back;
* some values do not convert — the probe's fact blocks, and the plan is refused with the count
  (:func:`pgreconcile.plan.facts.refusal`);
* the probe could not measure (timed out, table locked, no exact check on this server, probes
  turned off) — refused here, naming the ways out: more time for the probe, or a ``convert:``
  block, which makes the choice explicit.
"""

from __future__ import annotations

from pgreconcile.diff.changes import AlterColumn, Change
from pgreconcile.diff.conversions import conversion_choices
from pgreconcile.plan.facts import Fact, FactKind

# The facts that prove (or disprove) a conversion.
_CONVERSION_KINDS = frozenset(
    {FactKind.NOT_CONVERTED, FactKind.TOO_LONG, FactKind.NOT_LABELS, FactKind.VALUES_CHANGED}
)

WAYS_OUT = (
    "give the probe more time (`--probe-timeout`, e.g. 60s), or declare how to convert: "
    "`convert: {on_invalid: fail}` (PostgreSQL's cast, tried under the lock; a value that does not "
    "convert fails the apply, which then rolls back) or `convert: {using: …}`"
)


def unproven(change: Change, label: str, table: str | None, facts: tuple[Fact, ...]) -> str | None:
    """The refusal of a probe-proven type change the probe did not prove, else None."""
    if not isinstance(change, AlterColumn) or not change.probed:
        return None
    where = f"{table}: {label}" if table else label
    why = "this type change has no `convert:` and is planned only when the data probe measures every value"
    ways = WAYS_OUT
    if change.nulls_only:
        # Nothing casts these values: only a column of NULLs converts without `convert:`.
        why = "nothing casts these types, so it is planned only when the data probe finds no value but NULL"
        ways = f"give the probe more time (`--probe-timeout`, e.g. 60s), or {conversion_choices(change.new.type)}"
    relevant = [f for f in facts if f.kind in _CONVERSION_KINDS]
    if not relevant:
        return f"{where}: its values were not measured (are probes off, `--probe-timeout 0`?); {why}: {ways}"
    for fact in relevant:
        if not fact.measured:
            return f"{where}: {fact.text}; {why}: {ways}"
    return None
