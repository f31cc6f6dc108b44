"""What ``reconcile inspect`` writes for sequences and the column and table options of issue
17, shared by the YAML and the Python emitter.

A column whose default draws from a sequence that it owns, named and typed as ``serial`` would
make it, is written back as ``serial`` (``bigserial``, ``smallserial``): that is what the user
wrote, and it reads back to the same column and sequence. Every other sequence is written under
``schemas.<schema>.sequences``.
"""

from __future__ import annotations

from collections.abc import Mapping

from pgreconcile.declare.spec.names import dotted
from pgreconcile.emit.foreign import foreign_key
from pgreconcile.model.objects import Column, Table
from pgreconcile.model.sequences import Sequence, SequenceOptions, sequence_options, serial_sequence_name
from pgreconcile.normalize.sequences import nextval_target

_SERIAL_NAMES = {"smallint": "smallserial", "integer": "serial", "bigint": "bigserial"}

Sequences = Mapping[tuple[str, str], Sequence]


def serial_sequence(table: Table, col: Column, sequences: Sequences) -> Sequence | None:
    """The sequence that makes ``col`` a serial column, or None."""
    if col.identity is not None or col.nullable or col.type not in _SERIAL_NAMES:
        return None
    target = nextval_target(col.default)
    if target is None or target[0] != table.schema or target[1] != serial_sequence_name(table.name, col.name):
        return None
    seq = sequences.get((table.schema, target[1]))
    if seq is None or seq.owned_by != (table.name, col.name) or seq.options.type != col.type:
        return None
    if seq.unlogged != table.unlogged:  # not what `serial` makes: written under `sequences:`
        return None
    return seq


def serial_type(column_type: str) -> str:
    """``integer`` → ``serial``, ``bigint`` → ``bigserial``, ``smallint`` → ``smallserial``."""
    return _SERIAL_NAMES[column_type]


_last_serials: tuple[Mapping[tuple[str, str], Table], Sequences, set[tuple[str, str]]] | None = None


def serial_sequences(tables: Mapping[tuple[str, str], Table], sequences: Sequences) -> set[tuple[str, str]]:
    """Keys of the sequences written as a ``serial`` column (and so not under ``sequences:``)."""
    # Asked once per schema written, and by the grants of each: remembered for the last model
    # (held here, so its dictionaries cannot be freed and their ids reused meanwhile).
    global _last_serials
    if _last_serials is not None and _last_serials[0] is tables and _last_serials[1] is sequences:
        return _last_serials[2]
    found: set[tuple[str, str]] = set()
    if not sequences:
        _last_serials = (tables, sequences, found)
        return found
    for table in tables.values():
        for col in table.columns:
            seq = serial_sequence(table, col, sequences)
            if seq is not None:
                found.add((seq.schema, seq.name))
    _last_serials = (tables, sequences, found)
    return found


def options_spec(options: SequenceOptions, column_type: str | None = None) -> dict[str, object]:
    """The options that differ from PostgreSQL's defaults, as the language writes them (the
    type only for a standalone sequence: a column's sequence has the column's type)."""
    out: dict[str, object] = {}
    if column_type is None and options.type != "bigint":
        out["type"] = options.type
    defaults = sequence_options(options.type, increment=options.increment)
    if options.increment != 1:
        out["increment"] = options.increment
    if options.min_value != defaults.min_value:
        out["min_value"] = options.min_value
    if options.max_value != defaults.max_value:
        out["max_value"] = options.max_value
    start = sequence_options(
        options.type, increment=options.increment, min_value=options.min_value, max_value=options.max_value
    ).start
    if options.start != start:
        out["start"] = options.start
    if options.cache != 1:
        out["cache"] = options.cache
    if options.cycle:
        out["cycle"] = True
    return out


def sequence_spec(seq: Sequence) -> dict[str, object]:
    """A standalone (or OWNED BY) sequence's mapping under ``sequences:``."""
    out = options_spec(seq.options)
    if seq.owned_by is not None:
        out["owned_by"] = f"{seq.owned_by[0]}.{seq.owned_by[1]}"
    if seq.unlogged:
        out["unlogged"] = True
    if seq.comment is not None:
        out["comment"] = seq.comment
    return out


def column_keys(table: Table, col: Column, sequences: Sequences) -> dict[str, object]:
    """The issue-17 keys of one column: ``type: serial`` (with ``sequence:``), an identity's
    ``sequence:``, ``generated`` (and ``virtual``), ``collation``, ``compression``, ``storage``,
    ``statistics``, ``options``."""
    out: dict[str, object] = {}
    serial = serial_sequence(table, col, sequences)
    if serial is not None:
        out["type"] = serial_type(col.type)
        options = options_spec(serial.options, col.type)
        if serial.comment is not None:
            options["comment"] = serial.comment
        if options:
            out["sequence"] = options
    elif col.identity is not None and (col.identity_options is not None or col.identity_sequence is not None
                                       or col.identity_unlogged is not None):
        options = options_spec(col.identity_options, col.type) if col.identity_options is not None else {}
        if col.identity_sequence is not None:
            seq_schema, seq_name = col.identity_sequence
            options = {"name": seq_name if seq_schema == table.schema else dotted(seq_schema, seq_name), **options}
        if col.identity_unlogged is not None:
            options["unlogged"] = col.identity_unlogged
        if options:
            out["sequence"] = options
    if col.generated is not None:
        out["generated"] = col.generated
        if col.virtual:
            out["virtual"] = True
    if col.collation is not None:
        out["collation"] = _collation(col.collation)
    if col.compression is not None:
        out["compression"] = col.compression
    if col.storage is not None:
        out["storage"] = col.storage
    if col.statistics is not None:
        out["statistics"] = col.statistics
    if col.options:
        out["options"] = {name: _number(value) for name, value in col.options}
    return out


def _number(text: str) -> int | float:
    """An attribute option's value as the number it is (the catalog keeps text)."""
    number = float(text)
    return int(number) if number.is_integer() else number


def table_keys(table: Table) -> dict[str, object]:
    """``unlogged``, ``options`` (values as numbers or flags where they are),
    ``replica_identity``, ``cluster_on``, ``inherits`` and ``of`` of a table."""
    out: dict[str, object] = {}
    if table.unlogged:
        out["unlogged"] = True
    if table.options:
        out["options"] = {name: _value(value) for name, value in table.options}
    if table.replica_identity == "index":
        out["replica_identity"] = f"index {table.replica_index}"
    elif table.replica_identity != "default":
        out["replica_identity"] = table.replica_identity
    if table.cluster_on is not None:
        out["cluster_on"] = table.cluster_on
    out.update(foreign_key(table))  # [foreign]
    if table.inherits:  # [inheritance] the parents, in order; a parent in the same schema by name
        out["inherits"] = [name if schema == table.schema else dotted(schema, name) for schema, name in table.inherits]
    if table.of_type is not None:  # a typed table's composite type, by name in the same schema
        schema, name = table.of_type
        out["of"] = name if schema == table.schema else dotted(schema, name)
    return out


def _collation(sql: str) -> str:
    """``"C"`` → ``C``: a quoted single name is written bare (the language quotes it back)."""
    inner = sql[1:-1]
    if sql.startswith('"') and sql.endswith('"') and '"' not in inner:
        return inner
    return sql


def _value(text: str) -> object:
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text
