"""Intent overlays (``*.intent.yaml``): the hints SQL (and SQLAlchemy) declarations cannot write.

An SQL file says what the schema *is*; it cannot say that ``users.name`` used to be
``full_name``, that naive timestamps are UTC, or that an enum label went away in favour of
another. YAML says that with ``renamed_from``, ``convert:``, ``renamed_values`` and
``removed_values``; an intent overlay says the same about objects declared anywhere else::

    # schema/app.intent.yaml
    schemas:
      app:
        tables:
          users:
            renamed_from: people                  # the table's former name
            columns:
              name: {renamed_from: full_name}
              created_at: {convert: {time_zone: UTC}}
        enums:
          role: {renamed_values: {USER: user}, removed_values: {guest: member}}

An overlay declares nothing: every object it names must be declared by the other files (SQL,
YAML, Python or a SQLAlchemy MetaData), and it is an error naming the overlay's file:line when
one is not. The hints are applied to the desired model after it is built, so every later stage
sees them exactly as if YAML had declared them. Why a separate file rather than structured
comments in the SQL: comments would need their own small language and the SQL's statement
structure to know what they annotate; an overlay reuses the YAML language's keys, validation and
error wording, and works the same for every source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError

from pgreconcile.declare.spec.base import Keyed, Spec
from pgreconcile.declare.spec.errors import translate
from pgreconcile.declare.spec.language import ConvertSpec
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.declare.yaml.source import line_at, load_yaml
from pgreconcile.model.objects import Column, Conversion, Enum, Table
from pgreconcile.model.schema import Schema


class IntentColumnSpec(Spec):
    """Hints for one declared column."""

    renamed_from: str | None = None
    convert: Annotated[ConvertSpec | None, BeforeValidator(ConvertSpec.expand)] = None


class IntentTableSpec(Spec):
    """Hints for one declared table and its columns."""

    renamed_from: str | None = None  # `old_name` or `old_schema.old_name`
    columns: Keyed[IntentColumnSpec] = Field(default_factory=dict)


class IntentEnumSpec(Spec):
    """Hints for one declared enum."""

    renamed_from: str | None = None
    renamed_values: Keyed[str] = Field(default_factory=dict)
    removed_values: Keyed[str | None] = Field(default_factory=dict)


class IntentSchemaSpec(Spec):
    tables: Keyed[IntentTableSpec] = Field(default_factory=dict)
    enums: Keyed[IntentEnumSpec] = Field(default_factory=dict)


class IntentDocumentSpec(Spec):
    """One ``*.intent.yaml`` file."""

    version: int = 1
    schemas: Keyed[IntentSchemaSpec] = Field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Intent:
    """One parsed overlay: its file, what it says, and its data with lines (for messages)."""

    file: str
    spec: IntentDocumentSpec
    source: Any

    def where(self, *path: str) -> str:
        line = line_at(self.source, path)
        return f"{self.file}:{line}" if line else self.file


def read_intents(paths: Sequence[Path], problems: Problems) -> list[Intent]:
    """Parse and validate every overlay; problems are recorded with file:line."""
    intents: list[Intent] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.add(f"cannot read the file: {err}", str(path))
            continue
        data, yaml_problems = load_yaml(text)
        for yaml_problem in yaml_problems:
            problems.add(yaml_problem.message, str(path), yaml_problem.line, yaml_problem.hint)
        if yaml_problems:
            continue
        try:
            spec = IntentDocumentSpec.model_validate(data if data is not None else {})
        except ValidationError as err:
            for spec_problem in translate(err, IntentDocumentSpec, data):
                problems.add(spec_problem.message, str(path), spec_problem.line, spec_problem.hint)
            continue
        intents.append(Intent(str(path), spec, data))
    return intents


def _qualified(schema: str, text: str) -> tuple[str, str]:
    """``old`` or ``old_schema.old`` → (schema, name)."""
    head, dot, tail = text.partition(".")
    return (head, tail) if dot else (schema, text)


def _conversion(block: ConvertSpec, where: str, name: str, problems: Problems) -> Conversion | None:
    ways = [k for k in ("on_invalid", "time_zone", "from_", "using") if getattr(block, k) is not None]
    ways += ["regenerate"] if block.regenerate else []
    if len(ways) != 1:
        problems.add(
            f"column {name}: `convert:` needs exactly one of on_invalid, time_zone, from, using, regenerate "
            f"(found {len(ways)})",
            where,
            hint="write one conversion, e.g. `convert: {time_zone: UTC}`",
        )
        return None
    return Conversion(
        on_invalid="fail" if block.on_invalid == "error" else block.on_invalid,
        time_zone=block.time_zone,
        from_unit=block.from_,
        using=block.using,
        regenerate=block.regenerate,
    )


def _table(intent: Intent, table: Table, spec: IntentTableSpec, path: tuple[str, ...], problems: Problems) -> Table:
    columns = {c.name: c for c in table.columns}
    replaced: dict[str, Column] = {}
    for name, hints in spec.columns.items():
        column = columns.get(name)
        where = intent.where(*path, "columns", name)
        if column is None:
            problems.add(
                f"the intent names column {table.qualified}.{name}, which is not declared",
                where,
                hint="an intent overlay only adds hints (renamed_from, convert) to declared columns; "
                "use the column's declared (new) name",
            )
            continue
        convert = column.convert
        if hints.convert is not None:
            convert = _conversion(hints.convert, where, name, problems)
        replaced[name] = dataclasses.replace(
            column, renamed_from=hints.renamed_from or column.renamed_from, convert=convert
        )
    renamed = _qualified(table.schema, spec.renamed_from) if spec.renamed_from else table.renamed_from
    return dataclasses.replace(
        table, columns=tuple(replaced.get(c.name, c) for c in table.columns), renamed_from=renamed
    )


def _enum(intent: Intent, enum: Enum, spec: IntentEnumSpec, path: tuple[str, ...], problems: Problems) -> Enum:
    for old, new in spec.removed_values.items():
        if new is not None and new not in enum.values:
            problems.add(
                f"enum {enum.qualified}: removed label {old!r} is mapped to {new!r}, which is not a declared label",
                intent.where(*path, "removed_values", old),
                hint=f"map it to one of {', '.join(enum.values)}, or to null",
            )
    renamed = _qualified(enum.schema, spec.renamed_from) if spec.renamed_from else enum.renamed_from
    return dataclasses.replace(
        enum,
        renamed_from=renamed,
        renamed_values=enum.renamed_values + tuple(spec.renamed_values.items()),
        removed_values=enum.removed_values + tuple(spec.removed_values.items()),
    )


def apply_intents(schema: Schema, intents: Sequence[Intent], problems: Problems) -> Schema:
    """``schema`` with the hints of every overlay applied; an object an overlay names that is not
    declared is a problem at the overlay's file:line."""
    tables = dict(schema.tables)
    enums = dict(schema.enums)
    for intent in intents:
        for schema_name, per_schema in intent.spec.schemas.items():
            for name, table_spec in per_schema.tables.items():
                path = ("schemas", schema_name, "tables", name)
                table = tables.get((schema_name, name))
                if table is None:
                    problems.add(
                        f"the intent names table {schema_name}.{name}, which is not declared",
                        intent.where(*path),
                        hint="an intent overlay only adds hints to objects the other files declare",
                    )
                    continue
                tables[(schema_name, name)] = _table(intent, table, table_spec, path, problems)
            for name, enum_spec in per_schema.enums.items():
                path = ("schemas", schema_name, "enums", name)
                enum = enums.get((schema_name, name))
                if enum is None:
                    problems.add(
                        f"the intent names enum {schema_name}.{name}, which is not declared",
                        intent.where(*path),
                        hint="an intent overlay only adds hints to objects the other files declare",
                    )
                    continue
                enums[(schema_name, name)] = _enum(intent, enum, enum_spec, path, problems)
    return dataclasses.replace(schema, tables=tables, enums=enums)


def with_intents(schema: Schema, paths: Sequence[Path]) -> Schema:
    """``schema`` with the overlays at ``paths`` applied; raises every problem together."""
    if not paths:
        return schema
    problems = Problems()
    intents = read_intents(paths, problems)
    problems.raise_if_any()
    applied = apply_intents(schema, intents, problems)
    problems.raise_if_any()
    return applied
