"""Violations as text: one per entry with its fix, then a summary line.

The same text is what ``reconcile lint`` prints and what a refused plan shows, so that a
violation reads the same wherever it stops the user.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pgreconcile.conventions.rules import RULES
from pgreconcile.conventions.violation import Violation
from pgreconcile.errors import PlanRefused

NO_VIOLATIONS = "No convention violations."


def render_violations(violations: Sequence[Violation]) -> str:
    """``file:line  object  message  [rule]`` and ``  fix: ...`` per violation, then the summary."""
    lines: list[str] = []
    for violation in violations:
        where = f"{violation.where}  " if violation.where is not None else ""
        lines.append(f"{where}{violation.object}  {violation.message}  [{violation.rule}]")
        lines.append(f"  fix: {violation.fix}")
    lines += ["", summary(violations)]
    return "\n".join(lines) + "\n"


def summary(violations: Sequence[Violation]) -> str:
    """``3 convention violations (primary_key 1, timestamps 2).`` (rules in the language's order),
    or :data:`NO_VIOLATIONS`."""
    if not violations:
        return NO_VIOLATIONS
    counts = Counter(v.rule for v in violations)
    # The conventions in the language's order, then other checks (SQLAlchemy traps) as met.
    ordered = [rule for rule in RULES if counts[rule]] + [rule for rule in counts if rule not in RULES]
    per_rule = ", ".join(f"{rule} {counts[rule]}" for rule in ordered)
    noun = "violation" if len(violations) == 1 else "violations"
    return f"{len(violations)} convention {noun} ({per_rule})."


class ConventionViolations(PlanRefused):
    """The desired schema breaks its own conventions, so no plan is made from it."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        super().__init__(
            "the declarations break their conventions, so there is no plan:\n"
            + render_violations(self.violations).rstrip("\n"),
            hint="fix the declarations, or change their `conventions:` block; "
            "`reconcile lint` checks them without a database",
        )
