"""What the probes of one plan know beyond the change each one measures: which columns the plan
converts, adds or creates, and so what a column holds when a later step reads it.

A probe runs before the plan, but a step reads the rows as the steps before it left them. So
a key column converted earlier is read through its conversion, a column added without a
default is NULL in every row, and where the value cannot be computed here (a column added with
a default) the reason is returned as an :class:`Unknown` and the probe says "not measured".
:mod:`.choose` makes the probes; this module only answers its questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pgreconcile.diff.changes import AddColumn, AlterColumn, Change, CreateTable
from pgreconcile.diff.conversions import conversion_choices
from pgreconcile.diff.costs import volatile
from pgreconcile.diff.partition_changes import CreatePartition
from pgreconcile.model import Partition, Schema
from pgreconcile.normalize.lexical import identifier_words, is_lexically_simple
from pgreconcile.normalize.types import is_array, user_type_ref
from pgreconcile.plan.facts import FactKind
from pgreconcile.probe.conversions import Check, check_for


class Unknown(str):
    """A reason a column's value at apply time cannot be computed (not SQL)."""


# The value of a column the plan adds without a default: NULL in every existing row.
ALWAYS_NULL = "NULL"


@dataclass
class Context:
    """What the probes of one plan need to know beyond the change itself."""

    changes: Sequence[Change]
    desired: Schema
    live: Schema
    server_version: int
    converted: dict[tuple[str, str, str], AlterColumn] = field(default_factory=dict)
    added: dict[tuple[str, str, str], AddColumn] = field(default_factory=dict)
    created: set[tuple[str, str]] = field(default_factory=set)
    # Per table, the columns that change type or appear in this plan.
    reshaped: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for change in self.changes:
            if isinstance(change, AlterColumn) and change.type_changed:
                self.converted[(change.schema, change.table_name, change.old.name)] = change
                self.reshaped.setdefault((change.schema, change.table_name), set()).add(change.old.name)
            elif isinstance(change, AddColumn):
                self.added[(change.schema, change.table_name, change.column.name)] = change
                self.reshaped.setdefault((change.schema, change.table_name), set()).add(change.column.name)
            elif isinstance(change, CreateTable):
                self.created.add((change.table_def.schema, change.table_def.name))
            elif isinstance(change, CreatePartition):
                # [partitions] a new partition (and those below it) holds no rows to probe yet
                self._add_created(change.partition, change.partition.schema or change.schema)

    def _add_created(self, part: Partition, schema: str) -> None:
        self.created.add((schema, part.name))
        for below in part.partitions:
            self._add_created(below, below.schema or schema)

    def reads_reshaped(self, table: tuple[str, str], expression: str) -> bool:
        """Whether an SQL expression over ``table`` may read a column that changes type or
        appears in this plan (it would be read against today's types, or not exist yet)."""
        changing = self.reshaped.get(table, set())
        words = identifier_words(expression)
        return any(name in words or name.lower() in words for name in changing)

    def labels(self, type_text: str) -> tuple[str, ...] | None:
        """The labels of ``type_text`` when it is an enum (declared, else live), else None."""
        ref = user_type_ref(type_text)
        if ref is None or type_text.endswith("[]"):
            return None
        enum = self.desired.enums.get(ref) or self.live.enums.get(ref)
        return enum.values if enum else None

    def check(self, change: AlterColumn, value: str) -> Check | str:
        """How to count the values ``change``'s conversion rejects, or why it cannot be."""
        if change.nulls_only:
            # No cast: every value but NULL is rejected (NULL stays NULL).
            noun = (
                f"are not NULL, and nothing casts {change.old.type} to {change.new.type}; "
                f"{conversion_choices(change.new.type)}"
            )
            return Check(FactKind.NOT_CONVERTED, "false", noun, f"NULL::{change.new.type}")
        return self.check_types(value, change.old.type, change.new.type)

    def check_types(self, value: str, old: str, new: str) -> Check | str:
        """How to count the values of ``old`` that do not become ``new`` values, or why it
        cannot be: the probes' cast checks, and for a domain also the domain's checks."""
        ref = user_type_ref(new)
        domain = None if ref is None or is_array(new) else (self.desired.domains.get(ref) or self.live.domains.get(ref))
        if domain is None:
            return check_for(value, old, new, server_version=self.server_version, labels=self.labels(new))
        # [constraints-types] a domain: the cast to its base type, then its checks on the result.
        # A value of another domain over the same type is already a value of that type.
        old_ref = None if is_array(old) else user_type_ref(old)
        old_domain = (self.desired.domains.get(old_ref) or self.live.domains.get(old_ref)) if old_ref else None
        if domain.type == old or (old_domain is not None and old_domain.type == domain.type):
            base: Check | str = Check(FactKind.NOT_CONVERTED, "true", "", value)
        else:
            base = self.check_types(value, old, domain.type)
        if isinstance(base, str):
            return base
        passes: list[str] = []
        for constraint in domain.checks:
            expression = for_column(constraint.expression, f"({base.converted})")
            if expression is None:
                return f"check {constraint.name} of domain {domain.schema}.{domain.name} is not plain SQL"
            passes.append(f"({expression}) IS NOT FALSE")  # a CHECK passes on NULL
        valid = f"CASE WHEN {base.valid} THEN {' AND '.join(passes) or 'true'} ELSE false END"
        noun = f"do not satisfy domain {domain.schema}.{domain.name}"
        converted = f"CASE WHEN {valid} THEN ({value})::{new} END"
        return Check(FactKind.NOT_CONVERTED, valid, noun, converted, base.unsure)

    def value(self, schema: str, table: str, column: str, reference: str) -> str | Unknown | None:
        """SQL of ``column``'s value when later steps run, given ``reference`` (the column as
        the query names it); None when the values need no probe (an identity or a volatile
        default makes them distinct and present)."""
        key = (schema, table, column)
        added = self.added.get(key)
        if added is not None:
            col = added.column
            if col.identity is not None or volatile(col.default):
                return None
            if col.default is None:
                return ALWAYS_NULL
            return Unknown(f"column {column} is added by this plan with a default")
        change = self.converted.get(key)
        if change is None:
            return reference
        check = self.check(change, reference)
        if isinstance(check, str):
            return Unknown(f"column {column} is converted ({check})")
        return check.converted


# [constraints-types] A domain's checks name the checked value VALUE; to read them over a column,
# the column takes its place.
_VALUE = re.compile(r"\bVALUE\b", re.IGNORECASE)
_QUOTED_RUN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


def for_column(expression: str, column: str) -> str | None:
    """``expression`` with ``VALUE`` replaced by ``column`` outside quotes (None when the text
    has comments or dollar quotes, where quotes cannot be found without parsing)."""
    if not is_lexically_simple(expression):
        return None
    out, position = [], 0
    for match in _QUOTED_RUN.finditer(expression):
        out.append(_VALUE.sub(column, expression[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_VALUE.sub(column, expression[position:]))
    return "".join(out)
