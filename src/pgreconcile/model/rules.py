"""Rewrite rules (``CREATE RULE``) on tables: on an INSERT, UPDATE or DELETE, do something
instead of it or as well.

The condition and the actions are SQL text. Live, they are cut out of what
``pg_get_ruledef(oid, true)`` prints under ``search_path = pg_catalog`` (every name outside
pg_catalog qualified): ``where`` is the condition, ``actions`` the statements, each without its
semicolon, ``()`` for ``NOTHING``. Declared, they are what the user wrote until
:mod:`pgreconcile.catalog.canonical` has the server print them the same way; ``written`` then
keeps what was written (DDL for a rule re-created around a column change sends it, resolved in
the rule's schema, since the canonical text was printed against the catalog before the change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pgreconcile.model.keys import rule_key
from pgreconcile.model.origin import Origin


class RuleEvent(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class RuleEnabled(StrEnum):
    """``pg_rewrite.ev_enabled``, as for triggers: fires in origin/local sessions (the default),
    never, only in replica sessions, or always."""

    ORIGIN = "origin"
    DISABLED = "disabled"
    REPLICA = "replica"
    ALWAYS = "always"


@dataclass(frozen=True, slots=True)
class Rule:
    schema: str
    table: str
    name: str
    event: RuleEvent
    instead: bool = False
    where: str | None = None
    actions: tuple[str, ...] = ()
    enabled: RuleEnabled = RuleEnabled.ORIGIN  # compared alone: ALTER TABLE … ENABLE RULE
    comment: str | None = None  # compared alone: COMMENT ON RULE
    # Whether ``where`` and ``actions`` are the server's text (every name qualified), and what
    # the user wrote when they were replaced by it: (where, actions).
    canonical: bool = field(default=False, compare=False)
    written: tuple[str | None, tuple[str, ...]] | None = field(default=None, compare=False)
    # What the rule reads (model keys, from pg_depend): orders its steps.
    reads: frozenset[str] = field(default=frozenset(), compare=False)
    origin: Origin | None = field(default=None, compare=False)
    renamed_from: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return rule_key(self.schema, self.table, self.name)

    @property
    def qualified_table(self) -> str:
        return f"{self.schema}.{self.table}"
