"""A table's extended statistics and rules, and a view's column entries, in the declaration
language (shared by the YAML and the Python writers). Only what differs from the language's
defaults is written; conditions and actions are the server's text, so an inspected schema plans
no change without asking the server."""

from __future__ import annotations

from pgreconcile.emit.yaml_text import Text
from pgreconcile.model.rules import Rule, RuleEnabled
from pgreconcile.model.schema import Schema
from pgreconcile.model.statistics import Statistics, default_kinds
from pgreconcile.model.views import MaterializedView, View


def table_statistics(schema: Schema, table: tuple[str, str]) -> list[Statistics]:
    """The statistics objects of a table, by name."""
    return sorted((s for s in schema.statistics.values() if (s.schema, s.table) == table), key=lambda s: s.name)


def table_rules(schema: Schema, table: tuple[str, str]) -> list[Rule]:
    """The rules of a table, by name."""
    return sorted((r for k, r in schema.rules.items() if k[:2] == table), key=lambda r: r.name)


def statistics_options(stat: Statistics) -> dict[str, object]:
    out: dict[str, object] = {}
    if stat.columns:
        out["columns"] = list(stat.columns)
    if stat.expressions:
        out["expressions"] = list(stat.expressions)
    if stat.kinds != default_kinds(len(stat.columns), len(stat.expressions)):
        out["kinds"] = list(stat.kinds)
    if stat.target != -1:
        out["target"] = stat.target
    if stat.comment is not None:
        out["comment"] = stat.comment
    return out


def rule_options(rule: Rule) -> dict[str, object]:
    out: dict[str, object] = {"event": rule.event.value}
    if rule.instead:
        out["instead"] = True
    if rule.where is not None:
        out["where"] = Text(rule.where)
    if len(rule.actions) == 1:
        out["actions"] = Text(rule.actions[0])
    elif rule.actions:
        out["actions"] = [Text(a) for a in rule.actions]
    if rule.enabled is not RuleEnabled.ORIGIN:
        out["enabled"] = rule.enabled.value
    if rule.comment is not None:
        out["comment"] = rule.comment
    return out


def view_columns(view: View | MaterializedView) -> dict[str, object]:
    """A view's ``columns:``: a column's comment alone, or with a materialized view column's
    storage and statistics target a mapping of them."""
    columns: dict[str, object] = dict(view.column_comments)
    for setting in view.column_settings if isinstance(view, MaterializedView) else ():
        entry: dict[str, object] = {}
        if setting.column in columns:
            entry["comment"] = columns[setting.column]
        if setting.storage is not None:
            entry["storage"] = setting.storage
        if setting.statistics is not None:
            entry["statistics"] = setting.statistics
        columns[setting.column] = entry
    return dict(sorted(columns.items()))
