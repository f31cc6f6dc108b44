"""The parts of a declared column beyond type, default and nullability: a generated
expression, a collation, compression, storage, its statistics target and attribute options, and
the options of its identity's sequence — with the combinations PostgreSQL refuses reported at the
column's line."""

from __future__ import annotations

import re
from typing import Any, Protocol

from pgreconcile.declare.build.sequences import OptionsProblem, resolved_options
from pgreconcile.declare.spec.language import ColumnSpec, TableSpec
from pgreconcile.declare.spec.names import split_dotted
from pgreconcile.model.objects import Origin
from pgreconcile.model.sequences import sequence_options, serial_sequence_name
from pgreconcile.normalize.storage_options import option_pairs
from pgreconcile.quoting import ident


class TableBuilder(Protocol):
    """What this module needs of :class:`pgreconcile.declare.build.tables.TableBuilder`."""

    schema: str
    name: str
    spec: TableSpec

    def at(self, *path: str | int) -> Origin: ...

    def error(self, origin: Origin, message: str, hint: str | None = None) -> None: ...

    def sql(self, text: str, what: str, *path: str | int) -> bool: ...


# What ALTER COLUMN … SET STATISTICS takes, and the attribute options ALTER COLUMN … SET (…)
# knows (the planner's estimate of distinct values, for the table and for it with its children).
_MAX_STATISTICS = 10000
_ATTRIBUTE_OPTIONS = frozenset({"n_distinct", "n_distinct_inherited"})

# `schema.name` of a collation of one's own: two lower-case identifiers. The collations of
# pg_catalog with a dot in their name are locales (`en_US.utf8`, `C.UTF-8`), never all lower-case.
_QUALIFIED = re.compile(r"[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$]*")


def collation_sql(text: str) -> str:
    """A declared collation as COLLATE takes it (and as the catalog prints it): a bare name is
    one collation name (``C`` → ``"C"``, ``en_US.utf8`` → ``"en_US.utf8"``); ``public.ci`` is a
    declared collation of schema public; text with double quotes is SQL already
    (``public."my coll"``)."""
    if '"' in text:
        return text
    if _QUALIFIED.fullmatch(text):
        schema, name = text.split(".")
        return f"{ident(schema)}.{ident(name)}"
    return ident(text)


def column_extras(
    builder: TableBuilder, name: str, spec: ColumnSpec, column_type: str, serial: str | None
) -> dict[str, Any]:
    """The Column fields these keys set; problems go to the builder."""
    where = f"column {name}"

    def at(*key: str) -> Origin:
        return builder.at("columns", name, *key)

    if serial is not None:
        clash = [k for k in ("default", "default_sql", "identity", "generated") if getattr(spec, k) is not None]
        if clash:
            builder.error(
                at(clash[0]),
                f"{where}: a {spec.type} column's default is its sequence; remove `{clash[0]}`",
                "or declare an integer column with that default instead of serial",
            )
    generated = spec.generated
    if generated is not None:
        clash = [k for k in ("default", "default_sql", "identity") if getattr(spec, k) is not None]
        if clash:
            builder.error(at("generated"), f"{where}: a generated column cannot also have `{clash[0]}`")
            generated = None
        elif not builder.sql(generated, f"{where}: generated", "columns", name, "generated"):
            generated = None
    if spec.virtual and spec.generated is None:
        builder.error(at("virtual"), f"{where}: `virtual: true` is a kind of generated column",
                      "add `generated: <expression>`, or remove `virtual`")
    identity_options = None
    if spec.sequence is not None:
        if spec.identity is None and serial is None:
            builder.error(
                at("sequence"),
                f"{where}: `sequence:` sets the options of an identity's or a serial's sequence",
                "add `identity: always` (or by default), or declare the sequence under schemas.<schema>.sequences",
            )
        else:
            try:
                options = resolved_options(spec.sequence, column_type)
            except OptionsProblem as err:
                builder.error(at("sequence"), f"{where}: sequence: {err}")
            else:
                if spec.identity is not None:
                    if spec.sequence.comment is not None:
                        builder.error(at("sequence", "comment"), f"{where}: an identity's sequence has no comment here")
                    identity_options = options if options != sequence_options(column_type) else None
    identity_sequence = None
    if spec.sequence is not None and spec.sequence.name is not None:
        identity_sequence = _sequence_name(builder, name, spec.sequence.name, serial, at("sequence", "name"))
    identity_unlogged = None
    if spec.sequence is not None and spec.sequence.unlogged is not None:
        if serial is not None:
            builder.error(at("sequence", "unlogged"), f"{where}: a serial column's sequence is logged as its table is",
                          "declare the sequence under schemas.<schema>.sequences with `unlogged:` instead")
        elif spec.sequence.unlogged != builder.spec.unlogged:
            identity_unlogged = spec.sequence.unlogged  # as its table: the same as leaving it out
    statistics = spec.statistics
    if statistics is not None and not -1 <= statistics <= _MAX_STATISTICS:
        builder.error(at("statistics"),
                      f"{where}: statistics is a target from 0 to {_MAX_STATISTICS} (-1: the default)")
        statistics = None
    attribute_options: dict[str, int | float] = {}
    for key, value in spec.options.items():
        if key.lower() not in _ATTRIBUTE_OPTIONS:
            builder.error(at("options", key), f"{where}: unknown column option `{key}`",
                          "a column's options are " + " and ".join(sorted(_ATTRIBUTE_OPTIONS)))
        else:
            attribute_options[key.lower()] = value
    return {
        "statistics": statistics if statistics != -1 else None,
        "options": option_pairs(attribute_options),
        "options_text": tuple((k, str(v)) for k, v in attribute_options.items()) if attribute_options else (),
        "generated": generated,
        "virtual": spec.virtual and generated is not None,
        "collation": collation_sql(spec.collation) if spec.collation is not None else None,
        "compression": spec.compression,
        "storage": spec.storage,
        "identity_options": identity_options,
        "identity_sequence": identity_sequence,
        "identity_unlogged": identity_unlogged,
    }


def _sequence_name(
    builder: TableBuilder, column: str, text: str, serial: str | None, origin: Origin
) -> tuple[str, str] | None:
    """An identity's ``sequence: {name: …}`` → (schema, name), or None when it is the name
    PostgreSQL would give it anyway (so that both spellings compare equal)."""
    if serial is not None:
        builder.error(origin, f"column {column}: a serial column's sequence is named "
                      f"{serial_sequence_name(builder.name, column)}",
                      "declare the sequence under schemas.<schema>.sequences with a default_sql that draws from it")
        return None
    try:
        parts = split_dotted(text)
    except ValueError as error:
        builder.error(origin, f"column {column}: sequence name: {error}")
        return None
    if len(parts) > 2:
        builder.error(origin, f"column {column}: sequence name {text!r} is `name` or `schema.name`")
        return None
    named = (parts[0], parts[1]) if len(parts) == 2 else (builder.schema, parts[0])
    return None if named == (builder.schema, serial_sequence_name(builder.name, column)) else named
