"""SQL for extended statistics (CREATE / DROP / ALTER STATISTICS) and rules (CREATE [OR
REPLACE] RULE, DROP RULE, ALTER RULE … RENAME, ALTER TABLE … ENABLE / DISABLE RULE). Names and
comments go through :mod:`pgreconcile.quoting`; expressions, conditions and actions are the SQL
the user declared (or the server printed)."""

from __future__ import annotations

import dataclasses

from pgreconcile.ddl.statements import statements
from pgreconcile.diff.rules import AlterRule, CreateRule, DropRule, RenameRule
from pgreconcile.diff.statistics import AlterStatistics, CreateStatistics, DropStatistics, RenameStatistics
from pgreconcile.model.rules import Rule, RuleEnabled
from pgreconcile.model.statistics import Statistics, default_kinds
from pgreconcile.normalize.rule_text import actions_sql
from pgreconcile.quoting import ident, literal, qualified

# --- statistics ------------------------------------------------------------------------------


def _stat_name(stat: Statistics) -> str:
    return qualified(stat.schema, stat.name)


def statistics_definition(stat: Statistics) -> str:
    """CREATE STATISTICS; the kinds are written only when they are not the server's default."""
    kinds = ""
    if stat.kinds != default_kinds(len(stat.columns), len(stat.expressions)):
        kinds = f" ({', '.join(stat.kinds)})"
    elements = [ident(c) for c in stat.columns] + [f"({e})" for e in stat.expressions]
    return (
        f"CREATE STATISTICS {_stat_name(stat)}{kinds} ON {', '.join(elements)} "
        f"FROM {qualified(stat.schema, stat.table)}"
    )


def _target(stat: Statistics) -> str:
    return f"ALTER STATISTICS {_stat_name(stat)} SET STATISTICS {int(stat.target)}"


def _stat_comment(stat: Statistics) -> str:
    return f"COMMENT ON STATISTICS {_stat_name(stat)} IS {literal(stat.comment)}"


@statements.register
def _(change: CreateStatistics) -> list[str]:
    stat = change.statistics
    out = [statistics_definition(stat)]
    if stat.target != -1:
        out.append(_target(stat))
    if stat.comment is not None:
        out.append(_stat_comment(stat))
    return out


@statements.register
def _(change: DropStatistics) -> list[str]:
    return [f"DROP STATISTICS {_stat_name(change.statistics)}"]


@statements.register
def _(change: AlterStatistics) -> list[str]:
    out = []
    if change.statistics.target != change.old.target:
        out.append(_target(change.statistics))
    if change.statistics.comment != change.old.comment:
        out.append(_stat_comment(change.statistics))
    return out


@statements.register
def _(change: RenameStatistics) -> list[str]:
    stat = change.statistics
    return [f"ALTER STATISTICS {qualified(stat.schema, change.old_name)} RENAME TO {ident(stat.name)}"]


# --- rules -----------------------------------------------------------------------------------

_ENABLE = {
    RuleEnabled.ORIGIN: "ENABLE RULE",
    RuleEnabled.DISABLED: "DISABLE RULE",
    RuleEnabled.REPLICA: "ENABLE REPLICA RULE",
    RuleEnabled.ALWAYS: "ENABLE ALWAYS RULE",
}


def rule_definition(rule: Rule, *, replace: bool = False) -> str:
    """CREATE [OR REPLACE] RULE with its condition and actions."""
    head = "CREATE OR REPLACE RULE" if replace else "CREATE RULE"
    where = f"\n  WHERE {rule.where}" if rule.where else ""
    kind = "INSTEAD" if rule.instead else "ALSO"
    return (
        f"{head} {ident(rule.name)} AS\n  ON {rule.event.upper()} TO {qualified(rule.schema, rule.table)}{where}\n"
        f"  DO {kind} {actions_sql(rule.actions)}"
    )


def _enable(rule: Rule) -> str:
    return f"ALTER TABLE {qualified(rule.schema, rule.table)} {_ENABLE[rule.enabled]} {ident(rule.name)}"


def _rule_comment(rule: Rule) -> str:
    return f"COMMENT ON RULE {ident(rule.name)} ON {qualified(rule.schema, rule.table)} IS {literal(rule.comment)}"


@statements.register
def _(change: CreateRule) -> list[str]:
    rule = change.rule
    if change.as_written and rule.written is not None:
        # Re-created around a column change: the canonical text was printed before it.
        rule = dataclasses.replace(rule, where=rule.written[0], actions=rule.written[1], canonical=False)
    if rule.canonical:
        out = [rule_definition(rule, replace=change.replace)]
    else:
        # Text as the user wrote it means what it says in the rule's own schema.
        out = [
            f"SET LOCAL search_path = {ident(rule.schema)}, pg_catalog",
            rule_definition(rule, replace=change.replace),
            "RESET search_path",
        ]
    # A new rule fires in origin sessions; CREATE OR REPLACE keeps the state (and the comment)
    # the rule had, which diff/rules.py compares apart.
    if rule.enabled != RuleEnabled.ORIGIN and not change.replace:
        out.append(_enable(rule))
    if rule.comment is not None and not change.replace:
        out.append(_rule_comment(rule))
    return out


@statements.register
def _(change: DropRule) -> list[str]:
    return [f"DROP RULE {ident(change.rule.name)} ON {qualified(change.rule.schema, change.rule.table)}"]


@statements.register
def _(change: AlterRule) -> list[str]:
    out = []
    if change.rule.enabled != change.old.enabled:
        out.append(_enable(change.rule))
    if change.rule.comment != change.old.comment:
        out.append(_rule_comment(change.rule))
    return out


@statements.register
def _(change: RenameRule) -> list[str]:
    rule = change.rule
    return [f"ALTER RULE {ident(change.old_name)} ON {qualified(rule.schema, rule.table)} RENAME TO {ident(rule.name)}"]
