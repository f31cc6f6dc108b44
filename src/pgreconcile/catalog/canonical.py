"""The server's canonical form of declared view queries, without replaying the schema.

A declared query is compared with the live one in the form PostgreSQL prints
(``pg_get_viewdef``). To get that form for a declared query, each one that is not already
identical to the live text is created as a *temporary* view, in one transaction on the target
that is always rolled back: ``search_path`` is the view's schema (then pg_catalog) while it is
created, as it would be for the real view, and the result is read with the same query and the
same session settings as the live catalog (``queries/views.sql`` over the temporary schema).
Nothing is visible to another session (temporary objects, uncommitted) and nothing survives:
the transaction ends in ROLLBACK, even after an error. The cost is fixed — a handful of
statements however many views: the queries travel as one JSON parameter, one ``DO`` block
creates them all (each in its own sub-block, so one failure does not stop the others), one
query reads them back.

A query that cannot be created (it reads an object only the plan creates, or it is invalid)
keeps its declared text; the view is then simply seen as changed. A query holding a ``;`` is
never sent (it could carry a second statement); neither is anything when the server refuses
temporary objects (a read-only standby, no TEMP privilege) — a note says so.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgreconcile.catalog.build_views import ViewParts, view_parts
from pgreconcile.catalog.reader import _SEARCH_PATH, _TUNING, query_text
from pgreconcile.model.objects import Schema, strip_query

_PREFIX = "pgreconcile_canonical_"

# Each query is created as pg_temp.pgreconcile_canonical_<position>; the positions that failed
# are handed back through a transaction-local setting (a DO block returns no rows).
_CREATE = f"""
DO $canonical$
DECLARE
    item record;
    failed text[] := '{{}}';
BEGIN
    FOR item IN
        SELECT ordinality - 1 AS position, value ->> 'schema' AS schema_name, value ->> 'query' AS query
        FROM pg_catalog.jsonb_array_elements(pg_catalog.current_setting('pgreconcile.canonical')::jsonb)
             WITH ORDINALITY
    LOOP
        BEGIN
            PERFORM pg_catalog.set_config(
                'search_path', pg_catalog.quote_ident(item.schema_name) || ', pg_catalog', true);
            EXECUTE pg_catalog.format('CREATE TEMPORARY VIEW %I AS %s', '{_PREFIX}' || item.position, item.query);
        EXCEPTION WHEN OTHERS THEN
            failed := failed || (item.position || ':' || SQLSTATE);
        END;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    PERFORM pg_catalog.set_config('pgreconcile.canonical_failed', pg_catalog.array_to_string(failed, ' '), true);
END
$canonical$
"""

_TEMP_SCHEMA = (
    "SELECT pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::pg_catalog.text,"
    " pg_catalog.current_setting('pgreconcile.canonical_failed')"
)

# read_only_sql_transaction, insufficient_privilege: the server takes no temporary view at all.
_REFUSED = frozenset({"25006", "42501"})


def canonical_parts(
    conn: psycopg.Connection[Any], items: Sequence[tuple[str, str]]
) -> tuple[list[ViewParts | None], str | None]:
    """For each ``(schema, query)``, the server's reading of the query (None when it could not be
    created), and a note when the server refused temporary views altogether."""
    if not items:
        return [], None
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise ValueError("canonical_parts needs a connection with no open transaction")
    sendable = [i for i, (_, query) in enumerate(items) if ";" not in query]
    payload = json.dumps([{"schema": items[i][0], "query": items[i][1]} for i in sendable])
    found: list[ViewParts | None] = [None] * len(items)
    was_autocommit = conn.autocommit
    conn.autocommit = True
    note: str | None = None
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            cur.execute("BEGIN")
            try:
                for setting in (_SEARCH_PATH, *_TUNING, "SET LOCAL standard_conforming_strings = on"):
                    cur.execute(setting)
                cur.execute("SELECT pg_catalog.set_config('pgreconcile.canonical', %s, true)", (payload,))
                cur.execute(_CREATE)
                cur.execute(_TEMP_SCHEMA)
                temp_schema, failed_text = cur.fetchone() or (None, "")
                failures = dict(f.split(":", 1) for f in (failed_text or "").split())
                if failures and set(failures.values()) <= _REFUSED and len(failures) == len(sendable):
                    note = (
                        "the server refused temporary views (read-only or no TEMP privilege), so declared "
                        "view queries are compared as written; views may show as changed"
                    )
                if temp_schema is not None:
                    cur.execute(query_text("views"), {"managed": [temp_schema]})
                    for row in cur.fetchall():
                        position = int(str(row[2]).removeprefix(_PREFIX))
                        found[sendable[position]] = view_parts(row)
            finally:
                if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                    cur.execute("ROLLBACK")
    finally:
        if not conn.closed:
            conn.autocommit = was_autocommit
    return found, note


def _candidates(desired: Schema, live: Schema) -> list[tuple[str, tuple[str, str]]]:
    """``(kind, key)`` of the declared views whose text differs from the live one (or that are new)."""
    out: list[tuple[str, tuple[str, str]]] = []
    for key, view in desired.views.items():
        current = live.views.get(view.renamed_from or key) or live.views.get(key)
        if current is None or strip_query(view.query) != current.query:
            out.append(("view", key))
    for key, mat in desired.materialized_views.items():
        old = live.materialized_views.get(mat.renamed_from or key) or live.materialized_views.get(key)
        if old is None or strip_query(mat.query) != old.query:
            out.append(("materialized view", key))
    return out


def canonicalize(conn: psycopg.Connection[Any], desired: Schema, live: Schema) -> tuple[Schema, str | None]:
    """``desired`` with each view query that differs from its live text replaced by the server's
    canonical form (with its output columns and what it reads); the rest untouched."""
    todo = _candidates(desired, live)
    if not todo:
        return desired, None
    pools: dict[str, dict[tuple[str, str], Any]] = {
        "view": dict(desired.views),
        "materialized view": dict(desired.materialized_views),
    }
    items = [(key[0], strip_query(pools[kind][key].query)) for kind, key in todo]
    parts, note = canonical_parts(conn, items)
    for (kind, key), found in zip(todo, parts, strict=True):
        if found is None:
            continue
        pool = pools[kind]
        view = pool[key]
        written = strip_query(view.query)
        pool[key] = dataclasses.replace(
            view,
            query=found.query,
            columns=found.columns,
            reads=found.reads,
            written=written if written != found.query else None,
        )
    return dataclasses.replace(desired, views=pools["view"], materialized_views=pools["materialized view"]), note
