"""Catalog rows → sequences, identity options, table options and column options.

Rows come from ``queries/sequences.sql``, ``queries/table_options.sql`` and
``queries/column_options.sql``. Identity sequences are not objects of their own in the model:
their options belong to their column, and only when they differ from the defaults the column
would get anyway, so that an identity declared without options compares equal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from collections.abc import Sequence as Rows
from typing import Any

from pgreconcile.model.objects import Column
from pgreconcile.model.sequences import Sequence, SequenceOptions, sequence_options, serial_sequence_name
from pgreconcile.normalize.storage_options import option_pairs, option_texts

Row = Rows[Any]

#: The column (schema, table, column) an identity sequence belongs to → the Column fields it
#: sets: its options when not the defaults, its name when not PostgreSQL's default one.
IdentityOptions = dict[tuple[str, str, str], dict[str, Any]]
# The identity sequence's own persistence, until with_column_options compares it with its table's.
_PERSISTENCE = "_unlogged"


def sequences(rows: Iterable[Row]) -> tuple[dict[tuple[str, str], Sequence], IdentityOptions]:
    """Sequence rows → sequences by ``(schema, name)`` (standalone and serial ones), and what
    identity columns' sequences set on their column (options and name, where not the defaults)."""
    found: dict[tuple[str, str], Sequence] = {}
    identity: IdentityOptions = {}
    for (
        schema, name, type_, start, increment, low, high, cache, cycle, table, column, deptype, comment, unlogged,
    ) in rows:
        options = SequenceOptions(type_, start, increment, low, high, cache, cycle)
        if deptype == "i":
            fields: dict[str, Any] = {}
            if options != sequence_options(type_):
                fields["identity_options"] = options
            if name != serial_sequence_name(table, column):  # SEQUENCE NAME other than the default
                fields["identity_sequence"] = (schema, name)
            # Compared with its table's in with_column_options (None before PostgreSQL 15).
            fields[_PERSISTENCE] = unlogged
            identity[(schema, table, column)] = fields
            continue
        owned_by = (table, column) if table is not None and column is not None else None
        found[(schema, name)] = Sequence(schema, name, options, owned_by, comment, unlogged=bool(unlogged))
    return found, identity


_REPLICA_IDENTITY = {"d": "default", "f": "full", "n": "nothing", "i": "index"}


def table_options(rows: Iterable[Row]) -> dict[int, dict[str, Any]]:
    """``(oid, unlogged, reloptions, relreplident, replica index, clustered index, typed table's
    type)`` rows → the Table fields they set, by table oid (a partition takes the replica
    identity only)."""
    return {
        oid: {
            "unlogged": unlogged,
            "options": option_pairs(reloptions or ()),
            "options_text": option_texts(reloptions or ()),
            "replica_identity": _REPLICA_IDENTITY[replident],
            "replica_index": replica_index if replident == "i" else None,
            "cluster_on": cluster_index,
            "of_type": (of_schema, of_name) if of_name is not None else None,
        }
        for oid, unlogged, reloptions, replident, replica_index, cluster_index, of_schema, of_name in rows
    }


def with_column_options(
    columns: dict[int, list[Column]],
    rows: Iterable[Row],
    identity: IdentityOptions,
    names: dict[int, tuple[str, str]],
    unlogged_tables: frozenset[int] = frozenset(),
) -> dict[int, list[Column]]:
    """The columns with their collation, compression, storage, statistics target, attribute
    options and identity options set (only the few columns that have any are touched)."""
    extra: dict[tuple[int, str], dict[str, Any]] = {}
    for relid, name, collation, compression, storage, stattarget, attoptions in rows:
        extra[(relid, name)] = {
            "collation": collation, "compression": compression, "storage": storage,
            "statistics": stattarget, "options": option_pairs(attoptions or ()),
            "options_text": tuple((k, v) for k, _, v in (item.partition("=") for item in attoptions or ())),
        }
    if identity:
        # By the identities (a few), not by every column of every table (40,000 at 2,000 tables).
        relids = {name: relid for relid, name in names.items()}
        for (schema, table, column), found in identity.items():
            relid = relids.get((schema, table))
            if relid is None:
                continue
            fields = dict(found)
            unlogged = fields.pop(_PERSISTENCE)
            if unlogged is not None and unlogged != (relid in unlogged_tables):
                fields["identity_unlogged"] = unlogged
            if fields:
                extra.setdefault((relid, column), {}).update(fields)
    for (relid, name), fields in extra.items():
        cols = columns.get(relid)
        if cols is None:
            continue
        for i, col in enumerate(cols):
            if col.name == name:
                cols[i] = dataclasses.replace(col, **fields)
    return columns
