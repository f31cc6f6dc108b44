"""One function per convention: the objects of the desired schema that break it.

Each rule reads the built model (types are canonical there, so ``timestamp``, ``TIMESTAMP(3)``
and ``timestamp without time zone`` are one thing) and, where the model has no place for what
was written, the documents (:mod:`.places`). Each violation carries a fix written in the
declaration language, so that the message says what to change, not only what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pgreconcile.conventions.covering import is_covered
from pgreconcile.conventions.places import Places
from pgreconcile.conventions.violation import Violation
from pgreconcile.declare.spec.convention_specs import ConventionsSpec, EnumLabelConvention
from pgreconcile.declare.spec.names import column_names_addition, make_object_name
from pgreconcile.model.objects import Table
from pgreconcile.model.schema import Schema
from pgreconcile.normalize.types import base_of
from pgreconcile.quoting import ident

NAIVE_TIMESTAMP = "timestamp without time zone"
UUID_KEY = "`id: {type: uuid, primary_key: true, default_sql: gen_random_uuid()}`"


@dataclass(frozen=True, slots=True)
class Subject:
    """What a rule looks at: the declared conventions, the model and where things were written."""

    settings: ConventionsSpec
    schema: Schema
    places: Places


Rule = Callable[[Subject], Iterator[Violation]]


def primary_key_uuid(subject: Subject) -> Iterator[Violation]:
    """``primary_key: uuid``: every table has a primary key of one column, of type uuid."""
    for table in subject.schema.tables.values():
        key = table.primary_key
        if key is None:
            yield Violation(
                "primary_key",
                f"table {table.qualified}",
                table.origin,
                "has no primary key; the convention asks for one uuid column",
                f"declare a uuid key column, e.g. {UUID_KEY}",
            )
            continue
        if len(key.columns) > 1:
            columns = ", ".join(key.columns)
            yield Violation(
                "primary_key",
                f"table {table.qualified}",
                key.origin or table.origin,
                f"has a primary key of {len(key.columns)} columns ({columns}); the convention asks for one uuid column",
                f"declare ({columns}) as a unique constraint instead, and a uuid key column, e.g. {UUID_KEY}",
            )
            continue
        column = table.column(key.columns[0])
        if column is not None and column.type != "uuid":
            yield Violation(
                "primary_key",
                f"column {table.qualified}.{column.name}",
                column.origin or key.origin,
                f"is the primary key with type {column.type}, not uuid",
                "declare `type: uuid` (a `convert:` block says what becomes of existing values; "
                "see docs/declarations.md)",
            )


def timestamps_with_time_zone(subject: Subject) -> Iterator[Violation]:
    """``timestamps: timestamptz``: no column is a ``timestamp without time zone`` (or an array of it)."""
    for table in subject.schema.tables.values():
        for column in table.columns:
            # The substring test first: base_of is a regex, and a large schema has 40,000 columns.
            if not column.type.startswith("timestamp") or base_of(column.type) != NAIVE_TIMESTAMP:
                continue
            wanted = re.sub(r"timestamp(\(\d+\))? without time zone", r"timestamptz\1", column.type)
            yield Violation(
                "timestamps",
                f"column {table.qualified}.{column.name}",
                column.origin,
                f"is {column.type}, which stores no time zone",
                f"declare `type: {wanted}`; `convert: {{time_zone: UTC}}` says which zone existing values are in",
            )


def lowercase_enum_labels(subject: Subject) -> Iterator[Violation]:
    """``enum_labels: lowercase``: every label equals its lower-case spelling (incident 004: a
    Python enum stored by member name, ``SYSADMIN``, where the code sends the value ``sysadmin``).
    ``enum_labels: values`` is an instruction to the SQLAlchemy bridge, not a rule: nothing to check."""
    if subject.settings.enum_labels is not EnumLabelConvention.LOWERCASE:
        return
    for key, enum in subject.schema.enums.items():
        written = subject.places.enums.get(key)
        for position, label in enumerate(enum.values):
            lower = label.lower()
            if label == lower:
                continue
            where = written[0].origin("values", position) if written else enum.origin
            yield Violation(
                "enum_labels",
                f"enum {enum.qualified}",
                where,
                f"label {label!r} is not lower case",
                f"spell it `{_yaml(lower)}`, and add `renamed_values: {{{_yaml(label)}: {_yaml(lower)}}}` to the "
                "enum so that a live label is renamed in place and its rows keep their value",
            )


def rls_enabled(subject: Subject) -> Iterator[Violation]:
    """``rls: [schemas]``: every table in those schemas declares ``rls: {enabled: true}``.

    Read from the documents: the model gains row-level security separately. A table no document
    declares (a source that yields no documents) cannot be judged here and is left alone.
    """
    covered = set(subject.settings.rls or ())
    for key, table in subject.schema.tables.items():
        if table.schema not in covered or key not in subject.places.tables:
            continue
        place, spec = subject.places.tables[key]
        if spec.rls is not None and spec.rls.enabled:
            continue
        disabled = spec.rls is not None
        yield Violation(
            "rls",
            f"table {table.qualified}",
            place.origin("rls") if disabled else place.origin(),
            ("declares row-level security disabled" if disabled else "does not enable row-level security")
            + f"; every table in schema {table.schema} must",
            "declare `rls: {enabled: true}` on the table, with policies for the roles that use it "
            "(without a policy, roles other than the owner see no rows)",
        )


def foreign_keys_indexed(subject: Subject) -> Iterator[Violation]:
    """``foreign_keys_indexed: true``: every foreign key's columns lead some index (see :mod:`.covering`)."""
    for table in subject.schema.tables.values():
        for foreign_key in table.foreign_keys:
            if is_covered(table, foreign_key):
                continue
            columns = ", ".join(foreign_key.columns)
            index = f"{_index_name(table, foreign_key.columns)}: {_element_list(foreign_key.columns)}"
            yield Violation(
                "foreign_keys_indexed",
                f"foreign key {foreign_key.name} of {table.qualified}",
                foreign_key.origin or table.origin,
                f"has no index that starts with ({columns}), so deleting a referenced row scans the table",
                f"declare `indexes: {{{index}}}` on the table (or make these the first columns of an existing index)",
            )


#: Every convention key and its rule, in the order of the declaration language.
def security_definer_search_path(subject: Subject) -> Iterator[Violation]:
    """[routines] ``security_definer_search_path: true``: every SECURITY DEFINER function or
    procedure sets ``search_path``, so that a caller's objects cannot shadow the ones it uses
    with the owner's rights."""
    for fn in subject.schema.functions.values():
        if fn.security_definer and not any(name == "search_path" for name, _ in fn.config):
            yield Violation(
                "security_definer_search_path",
                f"{fn.kind} {fn.signature}",
                fn.origin,
                "is SECURITY DEFINER without a pinned search_path; it runs with its owner's rights "
                "and resolves names through the caller's search_path",
                "add `set: {search_path: ''}` and qualify every name in the body (or pin the schemas it needs)",
            )


RULES: dict[str, Rule] = {
    "primary_key": primary_key_uuid,
    "timestamps": timestamps_with_time_zone,
    "enum_labels": lowercase_enum_labels,
    "rls": rls_enabled,
    "foreign_keys_indexed": foreign_keys_indexed,
    "security_definer_search_path": security_definer_search_path,  # [routines]
}


def _index_name(table: Table, columns: tuple[str, ...]) -> str:
    """The name PostgreSQL would give ``CREATE INDEX ON table (columns)``."""
    return _yaml(make_object_name(table.name, column_names_addition(columns), "idx"))


def _element_list(columns: tuple[str, ...]) -> str:
    """Index elements as a YAML list; a name SQL must quote (``"Mixed"``) is quoted for YAML too."""
    return "[" + ", ".join(_yaml(ident(column)) for column in columns) + "]"


_PLAIN_YAML = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _yaml(text: str) -> str:
    """``text`` as a YAML scalar: plain when it is a simple name, single-quoted otherwise."""
    if _PLAIN_YAML.fullmatch(text) and text.lower() not in ("true", "false", "null"):
        return text
    return "'" + text.replace("'", "''") + "'"
