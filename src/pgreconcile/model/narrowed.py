"""The sequences and identity columns whose declared range is narrower than the live one.

Narrowing a range makes PostgreSQL check the counter (model.sequences.narrows); these are the
counters catalog/counters.py reads, and the ones diff/sequences.py refuses or restarts.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgreconcile.model.schema import Schema
from pgreconcile.model.sequences import SequenceOptions, narrows, sequence_options

# (schema, sequence or table, identity column or "" for a sequence)
Counter = tuple[str, str, str]


def identity_options(column_type: str, options: SequenceOptions | None) -> SequenceOptions:
    """An identity's options as compared: None stands for PostgreSQL's defaults for the type."""
    return options if options is not None else sequence_options(column_type)


def narrowed(desired: Schema, live: Schema) -> Iterator[Counter]:
    """The live sequences and identity columns whose declared range is narrower than theirs."""
    for key, seq in desired.sequences.items():
        current = live.sequences.get(key)
        if current is not None and narrows(current.options, seq.options):
            yield (key[0], key[1], "")
    for key, table in desired.tables.items():
        current_table = live.tables.get(key)
        if current_table is None:
            continue
        for col in table.columns:
            if col.identity is None:
                continue  # (most columns: looked at first, before the by-name lookup)
            old = current_table.column(col.name)
            if old is None or old.identity is None:
                continue
            wanted = identity_options(col.type, col.identity_options)
            if narrows(identity_options(old.type, old.identity_options), wanted):
                yield (key[0], key[1], col.name)
