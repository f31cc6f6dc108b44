"""Declared sequences → model sequences: ``schemas.<s>.sequences`` and the sequence of every
``serial`` column, with their options resolved the way PostgreSQL resolves them.

A ``serial`` column is shorthand, exactly as in PostgreSQL: an integer column, NOT NULL, whose
default draws from a sequence named ``<table>_<column>_seq`` owned by the column. Both halves
are built here, so the plan creates the sequence before the table and gives it to the column
after (which is what a database with a serial column holds, and what inspect writes back).
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from functools import lru_cache

from pgreconcile.declare.build.collect import Declared, check_name
from pgreconcile.declare.documents import Document
from pgreconcile.declare.spec.language import SequenceOptionsSpec, TableSpec
from pgreconcile.declare.spec.names import split_dotted
from pgreconcile.declare.spec.problems import Problems
from pgreconcile.model.objects import Origin
from pgreconcile.model.sequences import (
    SERIAL_TYPES,
    TYPE_RANGES,
    Sequence,
    SequenceOptions,
    sequence_options,
    serial_sequence_name,
)

# Spellings of the three sequence types.
_TYPES = {"int2": "smallint", "int4": "integer", "int": "integer", "int8": "bigint"}


class OptionsProblem(ValueError):
    """Options that PostgreSQL would refuse; the message says which and why."""


def resolved_options(spec: SequenceOptionsSpec | None, column_type: str | None = None) -> SequenceOptions:
    """The options ``spec`` declares, with PostgreSQL's defaults filled in. ``column_type`` is
    the type of the column a serial's or identity's sequence belongs to (the sequence's type).
    Raises :class:`OptionsProblem` for options PostgreSQL would refuse."""
    spec = spec or SequenceOptionsSpec()
    declared_type = _TYPES.get((spec.type or "").strip().lower(), (spec.type or "").strip().lower()) or None
    if column_type is not None and declared_type is not None and declared_type != column_type:
        raise OptionsProblem(f"the sequence of a {column_type} column is {column_type}; remove `type: {spec.type}`")
    type_ = column_type or declared_type or "bigint"
    if type_ not in TYPE_RANGES:
        raise OptionsProblem(f"a sequence is smallint, integer or bigint, not {spec.type}")
    if spec.increment == 0:
        raise OptionsProblem("increment cannot be 0")
    if spec.cache is not None and spec.cache < 1:
        raise OptionsProblem("cache must be at least 1")
    options = sequence_options(
        type_,
        start=spec.start,
        increment=spec.increment if spec.increment is not None else 1,
        min_value=spec.min_value,
        max_value=spec.max_value,
        cache=spec.cache if spec.cache is not None else 1,
        cycle=spec.cycle,
    )
    low, high = TYPE_RANGES[type_]
    if not low <= options.min_value < options.max_value <= high:
        raise OptionsProblem(
            f"min_value {options.min_value} and max_value {options.max_value} must satisfy "
            f"{low} <= min_value < max_value <= {high} for {type_}"
        )
    if not options.min_value <= options.start <= options.max_value:
        raise OptionsProblem(f"start {options.start} lies outside {options.min_value}..{options.max_value}")
    return options


@lru_cache(maxsize=4096)  # 80,000 calls at 2,000 tables, for a dozen spellings of types
def serial_type(type_text: str) -> str | None:
    """The integer type a ``serial`` spelling stands for (``bigserial`` → bigint), else None."""
    return SERIAL_TYPES.get(type_text.strip().lower())


def serial_sequences(
    tables: dict[tuple[str, str], Declared[TableSpec]], problems: Problems
) -> dict[tuple[str, str], Sequence]:
    """The sequence of every serial column, owned by it (errors in its options are reported by
    the table builder, which reads the same spec)."""
    found: dict[tuple[str, str], Sequence] = {}
    for (schema, table), declared in sorted(tables.items()):
        for column, spec in declared.spec.columns.items():
            column_type = serial_type(spec.type)
            if column_type is None:
                continue
            name = serial_sequence_name(table, column)
            try:
                options = resolved_options(spec.sequence, column_type)
            except OptionsProblem:
                continue
            comment = spec.sequence.comment if spec.sequence else None
            # PostgreSQL makes a serial's sequence unlogged with its table (and keeps it so).
            found[(schema, name)] = Sequence(
                schema, name, options, (table, column), comment, declared.origin, unlogged=declared.spec.unlogged
            )
    return found


def declared_sequences(
    documents: Seq[Document],
    tables: dict[tuple[str, str], Declared[TableSpec]],
    serials: dict[tuple[str, str], Sequence],
    problems: Problems,
) -> dict[tuple[str, str], Sequence]:
    """``schemas.<s>.sequences`` of every document, checked: declared once, valid options, an
    ``owned_by`` column that is declared in the same schema."""
    found: dict[tuple[str, str], Sequence] = dict(serials)
    for doc in documents:
        for schema, body in doc.spec.schemas.items():
            for name, spec in body.sequences.items():
                path = ("schemas", schema, "sequences", name)
                origin = Origin(doc.file, doc.line(*path))
                what = f"sequence {schema}.{name}"
                check_name(name, "sequence", origin, problems)
                first = found.get((schema, name))
                if first is not None:
                    problems.at(
                        origin,
                        f"{what} is declared twice: at {first.origin} and at {origin}"
                        + (" (the sequence of a serial column has that name)" if first.owned_by else ""),
                        "declare each sequence once; a serial column's sequence takes its options from `sequence:`",
                    )
                    continue
                try:
                    options = resolved_options(spec)
                except OptionsProblem as err:
                    problems.at(Origin(doc.file, doc.line(*path)), f"{what}: {err}")
                    continue
                owned_by = _owner(spec.owned_by, schema, tables, what, Origin(doc.file, doc.line(*path, "owned_by")),
                                  problems)
                found[(schema, name)] = Sequence(
                    schema, name, options, owned_by, spec.comment, origin, unlogged=spec.unlogged
                )
    return dict(sorted(found.items()))


def _owner(
    text: str | None,
    schema: str,
    tables: dict[tuple[str, str], Declared[TableSpec]],
    what: str,
    origin: Origin,
    problems: Problems,
) -> tuple[str, str] | None:
    if text is None:
        return None
    try:
        parts = split_dotted(text)
    except ValueError as err:
        problems.at(origin, f"{what}: owned_by: {err}")
        return None
    if len(parts) == 3 and parts[0] == schema:
        parts = parts[1:]
    if len(parts) != 2:
        problems.at(
            origin,
            f"{what}: owned_by {text!r} must be 'table.column' of a table in schema {schema}",
            "PostgreSQL requires the owning table to be in the sequence's schema",
        )
        return None
    table, column = parts
    declared = tables.get((schema, table))
    if declared is None or column not in declared.spec.columns:
        problems.at(origin, f"{what}: owned_by {text!r}: no declared column {column} in table {schema}.{table}")
        return None
    return (table, column)
