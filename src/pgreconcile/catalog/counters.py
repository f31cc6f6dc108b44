"""The counters of the sequences whose range a plan narrows — read only for those.

A sequence's current value is data, left out of the catalog read. But moving a bound inwards
(``MAXVALUE 50`` where it was 1000, a ``MINVALUE`` raised) makes PostgreSQL check that the
counter still lies within, and the counter of a sequence nothing was drawn from yet stands at
its *old* start: ``ALTER … SET MAXVALUE 50`` then fails with "START value (100) cannot be
greater than MAXVALUE (50)". Whether anything was drawn decides what the plan does
(:func:`pgreconcile.model.sequences.restarts` / ``stranded``), so those counters — and only
those — are read here, in one query, after both sides are known. A no-op plan reads none.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from pgreconcile.model import Schema, Table
from pgreconcile.model.narrowed import identity_options, narrowed

# One row per counter asked for, by position: whether the planning role may read it, and the
# last value drawn (NULL: none yet). An identity's sequence is found from its column.
_QUERY = """
SELECT t.i,
       pg_catalog.has_sequence_privilege(q.seq, 'SELECT,USAGE'),
       CASE WHEN pg_catalog.has_sequence_privilege(q.seq, 'SELECT,USAGE')
            THEN pg_catalog.pg_sequence_last_value(q.seq) END
FROM ROWS FROM (pg_catalog.unnest(%(schemas)s::pg_catalog.text[]), pg_catalog.unnest(%(names)s::pg_catalog.text[]),
                pg_catalog.unnest(%(columns)s::pg_catalog.text[])) WITH ORDINALITY AS t(s, n, c, i)
CROSS JOIN LATERAL (
    SELECT CASE WHEN t.c = '' THEN r.name::pg_catalog.regclass
                ELSE pg_catalog.pg_get_serial_sequence(r.name, t.c)::pg_catalog.regclass END AS seq
    FROM (SELECT pg_catalog.quote_ident(t.s) || '.' || pg_catalog.quote_ident(t.n) AS name) AS r
) AS q
WHERE q.seq IS NOT NULL
"""

def with_counters(conn: psycopg.Connection[Any], desired: Schema, live: Schema) -> Schema:
    """``live`` with the counters of the sequences ``desired`` narrows read into their options
    (``counter_read``, ``last_drawn``); ``live`` itself when there are none."""
    todo = list(narrowed(desired, live))
    if not todo:
        return live
    opened = conn.info.transaction_status == TransactionStatus.IDLE and not conn.autocommit
    rows = conn.execute(_QUERY, {
        "schemas": [t[0] for t in todo], "names": [t[1] for t in todo], "columns": [t[2] for t in todo],
    }).fetchall()
    if opened:
        # End the transaction psycopg opened for the query: the probes that follow on this
        # connection take a snapshot of their own.
        conn.rollback()
    read = {todo[i - 1]: (bool(readable), last) for i, readable, last in rows}
    sequences = dict(live.sequences)
    tables = dict(live.tables)
    for (schema, name, column), (readable, last) in read.items():
        if not column:
            seq = sequences[(schema, name)]
            options = dataclasses.replace(seq.options, counter_read=readable, last_drawn=last)
            sequences[(schema, name)] = dataclasses.replace(seq, options=options)
        else:
            tables[(schema, name)] = _with_identity_counter(tables[(schema, name)], column, readable, last)
    return dataclasses.replace(live, sequences=sequences, tables=tables)


def _with_identity_counter(table: Table, column: str, readable: bool, last: int | None) -> Table:
    columns = tuple(
        dataclasses.replace(c, identity_options=dataclasses.replace(
            identity_options(c.type, c.identity_options), counter_read=readable, last_drawn=last))
        if c.name == column else c
        for c in table.columns
    )
    return dataclasses.replace(table, columns=columns)
