"""Rows of ``queries/rules.sql`` → rules, their condition and actions cut out of
``pg_get_ruledef()`` (see :mod:`pgreconcile.normalize.rule_text`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pgreconcile.model.keys import column_key, table_key
from pgreconcile.model.rules import Rule, RuleEnabled, RuleEvent
from pgreconcile.normalize.rule_text import ruledef_parts

_EVENTS = {"2": RuleEvent.UPDATE, "3": RuleEvent.INSERT, "4": RuleEvent.DELETE}
_ENABLED = {"O": RuleEnabled.ORIGIN, "D": RuleEnabled.DISABLED, "R": RuleEnabled.REPLICA, "A": RuleEnabled.ALWAYS}


def read_keys(reads: Iterable[Sequence[str | None]] | None) -> frozenset[str]:
    """``[schema, table, column or null]`` entries → the keys of what a rule reads."""
    keys: set[str] = set()
    for schema, table, column in reads or ():
        if schema is None or table is None:
            continue
        keys.add(table_key(schema, table))
        if column is not None:
            keys.add(column_key(schema, table, column))
    return frozenset(keys)


def rule_from_row(row: Sequence[Any]) -> Rule | None:
    """One row of ``queries/rules.sql`` as a rule (None for a SELECT rule or a text that
    cannot be cut into its parts, which the model does not hold)."""
    schema, table, name, event, instead, enabled, definition, comment, reads = row
    parts = ruledef_parts(definition or "")
    if event not in _EVENTS or parts is None:
        return None
    where, actions = parts
    return Rule(
        schema, table, name, _EVENTS[event], bool(instead), where, actions,
        _ENABLED.get(enabled, RuleEnabled.ORIGIN), comment, canonical=True, reads=read_keys(reads),
    )


def rules(rows: Iterable[Sequence[Any]], notes: list[str]) -> dict[tuple[str, str, str], Rule]:
    """By (schema, table, name); a rule the model cannot hold is named in ``notes``."""
    found: dict[tuple[str, str, str], Rule] = {}
    for row in rows:
        rule = rule_from_row(row)
        if rule is None:
            notes.append(f"rule {row[2]} on {row[0]}.{row[1]} could not be read and is left alone")
            continue
        found[(rule.schema, rule.table, rule.name)] = rule
    return found
