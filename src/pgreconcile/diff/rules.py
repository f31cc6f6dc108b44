"""Compare rules: created, replaced in place (CREATE OR REPLACE RULE) when their event, kind,
condition or actions change, renamed as declared, enabled state and comment changed in place,
dropped when undeclared (a rule holds no data: no ``--allow-destroy``; the plan names it).

The condition and actions are compared as the server prints them (live: the catalog; declared:
:mod:`pgreconcile.catalog.canonical`), apart from blanks outside quotes. PostgreSQL refuses to
retype or drop a column a rule reads, so a rule reading a column the plan retypes or drops is
dropped before the change and, when still declared, created again after it from the text as
written (``-/+ rule r on public.t  re-created: reads column a``). A rule is dropped before the
tables and columns it reads go, and created after the declared tables it names exist.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from pgreconcile.diff.actions import Action, Hazard
from pgreconcile.diff.changes import AlterColumn, Change, DropColumn, DropTable, TableChange
from pgreconcile.diff.rename_changes import RenameTable
from pgreconcile.model import Schema
from pgreconcile.model.keys import column_key, schema_key, table_key
from pgreconcile.model.rules import Rule
from pgreconcile.normalize.lexical import collapse_whitespace

_STRING = re.compile(r"'(?:[^']|'')*'")
_WORD = re.compile(r'"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)')


@dataclass(frozen=True)
class CreateRule(TableChange):
    """CREATE [OR REPLACE] RULE. ``replace``: the rule exists and is replaced in place.
    ``as_written``: send the text as the user wrote it (re-created around a column change)."""

    rule: Rule
    replace: bool = False
    as_written: bool = False

    ACTION = Action.CREATE
    KIND = "rule"
    ORDER_RANK = 29  # with policies and triggers: after the tables and columns it reads

    @property
    def action(self) -> Action:
        return Action.UPDATE if self.replace else Action.CREATE

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class DropRule(TableChange):
    rule: Rule

    ACTION = Action.DESTROY
    KIND = "rule"
    ORDER_RANK = 9  # before what it reads goes

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,)


@dataclass(frozen=True)
class AlterRule(TableChange):
    """ALTER TABLE … ENABLE [REPLICA | ALWAYS] / DISABLE RULE and COMMENT ON RULE."""

    rule: Rule
    old: Rule

    ACTION = Action.UPDATE
    KIND = "rule"
    ORDER_RANK = 29

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return (Hazard.ACCESS_EXCLUSIVE_LOCK,) if self.rule.enabled != self.old.enabled else ()


@dataclass(frozen=True)
class RenameRule(TableChange):
    rule: Rule
    old_name: str

    ACTION = Action.RENAME
    KIND = "rule"
    ORDER_RANK = 18

    @property
    def key(self) -> str:
        return self.rule.key


def _same_text(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    left = collapse_whitespace(a)
    return left is not None and left == collapse_whitespace(b)


def same_rule(a: Rule, b: Rule) -> bool:
    """The same definition (what CREATE OR REPLACE RULE sets); enabled state and comment aside."""
    return (
        (a.event, a.instead, len(a.actions)) == (b.event, b.instead, len(b.actions))
        and _same_text(a.where, b.where)
        and all(_same_text(x, y) for x, y in zip(a.actions, b.actions, strict=True))
    )


def _named_tables(rule: Rule, tables: set[tuple[str, str]]) -> set[str]:
    """Keys of the declared tables the rule's text names (qualified or in its own schema)."""
    words: set[str] = set()
    for text in (rule.where or "", *rule.actions):
        for quoted, bare in _WORD.findall(_STRING.sub("''", text)):
            words.add(quoted.replace('""', '"') if quoted else bare.lower())
    return {table_key(s, n) for s, n in tables if n in words and (s == rule.schema or s in words)}


def rule_needs(rule: Rule, desired: Schema | None = None) -> frozenset[str]:
    """Its schema and table, what it reads (known once the server has read it) and, for a
    declared rule, the declared tables its text names."""
    keys = {schema_key(rule.schema), table_key(rule.schema, rule.table)} | set(rule.reads)
    if desired is not None:
        keys |= _named_tables(rule, set(desired.tables))
    return frozenset(keys)


def create_rule(rule: Rule, desired: Schema, **options: object) -> CreateRule:
    return CreateRule(
        rule.schema, rule.table, rule, needs=rule_needs(rule, desired), creates=frozenset({rule.key}),
        **options,  # type: ignore[arg-type]
    )


def drop_rule(rule: Rule, **options: object) -> DropRule:
    return DropRule(
        rule.schema, rule.table, rule, removes=frozenset({rule.key}), live_needs=rule_needs(rule),
        **options,  # type: ignore[arg-type]
    )


def _difference(old: Rule, new: Rule) -> str:
    if old.event != new.event:
        return f"event {old.event} → {new.event}"
    if old.instead != new.instead:
        return "DO ALSO → DO INSTEAD" if new.instead else "DO INSTEAD → DO ALSO"
    if not _same_text(old.where, new.where):
        return "condition changes"
    return "actions change"


def _breaking(changes: list[Change]) -> dict[str, str]:
    """Column key → why, for every column the plan retypes or drops."""
    out: dict[str, str] = {}
    for c in changes:
        if isinstance(c, AlterColumn) and c.type_changed:
            out[column_key(c.schema, c.table_name, c.old.name)] = f"reads column {c.old.name}"
        elif isinstance(c, DropColumn):
            out[column_key(c.schema, c.table_name, c.column.name)] = f"reads column {c.column.name}"
    return out


def compare_rules(desired: Schema, live: Schema, changes: list[Change]) -> list[Change]:
    """The rule changes, given the plan's changes so far (a table it drops takes its rules with
    it; a column it retypes or drops has the rules reading it re-created around it)."""
    dropped_tables = {(c.table_def.schema, c.table_def.name) for c in changes if isinstance(c, DropTable)}
    pool = {k: r for k, r in live.rules.items() if (k[0], k[1]) not in dropped_tables}
    # A rule belongs to its table: a renamed (or moved) table takes it along.
    for c in changes:
        if isinstance(c, RenameTable):
            for k, r in list(pool.items()):
                if (k[0], k[1]) == (c.old_schema, c.old_name):
                    del pool[k]
                    pool[(c.schema, c.name, k[2])] = dataclasses.replace(r, schema=c.schema, table=c.name)
    breaking = _breaking(changes)
    out: list[Change] = []
    for key, wanted in desired.rules.items():
        current = pool.get(key)
        if current is None and wanted.renamed_from is not None:
            old_key = (wanted.schema, wanted.table, wanted.renamed_from)
            old = pool.get(old_key)
            if old is not None and old_key not in desired.rules:
                out.append(RenameRule(
                    wanted.schema, wanted.table, wanted, old.name,
                    creates=frozenset({wanted.key}), removes=frozenset({old.key}), live_needs=frozenset({old.key}),
                ))
                del pool[old_key]
                current = pool[key] = dataclasses.replace(old, name=wanted.name)
        if current is None:
            out.append(create_rule(wanted, desired))
            continue
        broken = sorted(k for k in current.reads if k in breaking)
        if broken:
            why = f"re-created: {breaking[broken[0]]}"
            out.append(dataclasses.replace(
                drop_rule(current, replaces=True, reason=why), live_needs=rule_needs(current) | set(broken)))
            out.append(dataclasses.replace(
                create_rule(wanted, desired, replaces=True, reason=why, as_written=True),
                needs=rule_needs(wanted, desired) | set(broken)))
            continue
        if not same_rule(wanted, current):
            reason = "replaced: " + _difference(current, wanted)
            out.append(create_rule(wanted, desired, replace=True, reason=reason))
            # CREATE OR REPLACE RULE replaces the event, kind, condition and actions only: the
            # enabled state and the comment stay, and are compared below.
        if (wanted.enabled, wanted.comment) != (current.enabled, current.comment):
            needs = frozenset({wanted.key, table_key(wanted.schema, wanted.table)})
            out.append(AlterRule(wanted.schema, wanted.table, wanted, current, needs=needs))
    for key, current in sorted(pool.items()):
        if key[0] in desired.managed and key not in desired.rules:
            reads_broken = {k for k in current.reads if k in breaking}
            out.append(dataclasses.replace(drop_rule(current), live_needs=rule_needs(current) | reads_broken))
    return out
