"""A probe: one measurement of the live data that a plan's change concerns, and how its numbers
become facts. Chosen by :mod:`.choose`, run by :mod:`.run`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pgreconcile.plan.facts import Fact, FactKind
from pgreconcile.probe import wording

Numbers = Sequence[int]


@dataclass(frozen=True)
class Probe:
    """One measurement for the change at ``change`` (its index in the plan's changes).

    Either ``aggregates`` over ``table`` (probes of one table share a scan), or a whole
    ``query``, or neither when ``unmeasurable`` says why no query can answer. ``read`` turns the
    returned numbers into facts; ``kinds`` name what is measured, for "not measured" facts."""

    change: int
    table: tuple[str, str]
    kinds: tuple[FactKind, ...]
    read: Callable[[Numbers], tuple[Fact, ...]] = field(compare=False)
    aggregates: tuple[str, ...] = ()
    query: str | None = None
    unmeasurable: str | None = None
    # A query listing a few of the values a blocking fact counts, run only with --show-values
    # (values are data: a plan is posted in pull requests).
    examples: str | None = None
    # The facts when the query raises a data exception (class 22): a declared USING
    # expression that raises on some row is an apply that fails, not an unmeasured probe.
    on_data_error: Callable[[str], tuple[Fact, ...]] | None = field(default=None, compare=False)

    def not_measured(self, why: str) -> tuple[Fact, ...]:
        """The facts this probe gives when it cannot run (``why``: what happened)."""
        return tuple(wording.not_measured(kind, why) for kind in self.kinds)


def unmeasurable(change: int, table: tuple[str, str], kind: FactKind, why: str) -> Probe:
    """A probe that cannot be sent, saying why (the fact reads "… not measured: why")."""
    return Probe(change, table, (kind,), read=lambda _: (), unmeasurable=why)
