"""Labels of the extended statistics and rule changes."""

from __future__ import annotations

from pgreconcile.diff.rules import AlterRule, CreateRule, DropRule, RenameRule
from pgreconcile.diff.statistics import AlterStatistics, CreateStatistics, DropStatistics, RenameStatistics
from pgreconcile.model.rules import Rule
from pgreconcile.model.statistics import Statistics, default_kinds
from pgreconcile.plan.describe import comment_text, describe
from pgreconcile.plan.lines import single_line

Label = tuple[str, tuple[str, ...]]


def statistics_summary(stat: Statistics) -> str:
    """``statistics s (ndistinct, mcv) on a, b, (lower(c))``; the kinds only when not all."""
    default = default_kinds(len(stat.columns), len(stat.expressions))
    kinds = "" if stat.kinds == default else f" ({', '.join(stat.kinds)})"
    elements = [*stat.columns, *(f"({e})" for e in stat.expressions)]
    return f"statistics {stat.name}{kinds} on {', '.join(elements)}"


def rule_summary(rule: Rule) -> str:
    """``rule r on update where old.a <> new.a do instead 2 statements``."""
    where = f" where {single_line(rule.where)}" if rule.where else ""
    n = len(rule.actions)
    what = "nothing" if n == 0 else single_line(rule.actions[0]) if n == 1 else f"{n} statements"
    return f"rule {rule.name} on {rule.event.value}{where} do {'instead' if rule.instead else 'also'} {what}"


@describe.register
def _(c: CreateStatistics) -> Label:
    return statistics_summary(c.statistics), ()


@describe.register
def _(c: DropStatistics) -> Label:
    return statistics_summary(c.statistics), ()


@describe.register
def _(c: AlterStatistics) -> Label:
    parts = []
    if c.statistics.target != c.old.target:
        parts.append(f"target {c.old.target} → {c.statistics.target}")
    if c.statistics.comment != c.old.comment:
        parts.append(f"comment {comment_text(c.old.comment)} → {comment_text(c.statistics.comment)}")
    return f"statistics {c.statistics.name} {', '.join(parts)}", ()


@describe.register
def _(c: RenameStatistics) -> Label:
    return f"statistics {c.old_name} → {c.statistics.name}", ()


@describe.register
def _(c: CreateRule) -> Label:
    return rule_summary(c.rule), ()


@describe.register
def _(c: DropRule) -> Label:
    return rule_summary(c.rule), ()


@describe.register
def _(c: AlterRule) -> Label:
    parts = []
    if c.rule.enabled != c.old.enabled:
        parts.append(f"{c.old.enabled.value} → {c.rule.enabled.value}")
    if c.rule.comment != c.old.comment:
        parts.append(f"comment {comment_text(c.old.comment)} → {comment_text(c.rule.comment)}")
    return f"rule {c.rule.name} {', '.join(parts)}", ()


@describe.register
def _(c: RenameRule) -> Label:
    return f"rule {c.old_name} → {c.rule.name}", ()
