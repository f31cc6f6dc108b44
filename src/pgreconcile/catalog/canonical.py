"""The server's canonical form of declared view queries, without replaying the schema.

A declared query is compared with the live one in the form PostgreSQL prints
(``pg_get_viewdef``). To get that form, each declared query that is not already identical to
the live text is created in one transaction on the target that is always rolled back: a view
that exists live as a *temporary* view (creating it under its own name would lock the live
one), a new one under its own name (so that the declared views reading it resolve, as they
will once the plan runs; a new materialized view ``WITH NO DATA``). ``search_path`` is the
view's schema (then pg_catalog) while it is created, as it would be for the real view, and the
results are read with the same query and session settings as the live catalog
(``queries/views.sql``). Nothing is visible to another session (uncommitted, or temporary) and
nothing survives: the transaction ends in ROLLBACK, even after an error. The cost is fixed — a
handful of statements however many views: the queries travel as one JSON parameter, one ``DO``
block creates them all (each in its own sub-block, so one failure does not stop the others,
repeated while some succeed, so a view may read one declared after it), one query reads them
back.

A query that cannot be created (it reads an object only the plan creates, or it is invalid)
keeps its declared text; the view is then simply seen as changed. A query holding a ``;`` is
never sent (it could carry a second statement); when the server refuses to create anything
(a read-only standby, no privilege) a note says so.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgreconcile.catalog.build_views import ViewParts, view_parts
from pgreconcile.catalog.canonical_rules import canonical_rules
from pgreconcile.catalog.counters import with_counters
from pgreconcile.catalog.reader import _SEARCH_PATH, _TUNING, query_text
from pgreconcile.model.schema import Schema
from pgreconcile.model.views import strip_query

_PREFIX = "pgreconcile_canonical_"

# Each declared query is created in the rolled-back transaction: a view that does not exist yet
# under its own name (so that declared views reading it resolve, as they will after apply), a
# changed one as pg_temp.pgreconcile_canonical_<position> (creating it under its own name would
# lock the live view). Passes repeat while some succeed, so a view may read one declared after
# it. The positions that never succeeded are handed back through a transaction-local setting
# (a DO block returns no rows).
_CREATE = f"""
DO $canonical$
DECLARE
    item record;
    pending integer[];
    failed text[];
    progress boolean := true;
BEGIN
    pending := ARRAY(
        SELECT ordinality - 1
        FROM pg_catalog.jsonb_array_elements(pg_catalog.current_setting('pgreconcile.canonical')::jsonb)
             WITH ORDINALITY);
    WHILE progress AND pg_catalog.cardinality(pending) > 0 LOOP
        progress := false;
        failed := '{{}}';
        FOR item IN
            SELECT ordinality - 1 AS position, value ->> 'schema' AS schema_name, value ->> 'name' AS name,
                   value ->> 'how' AS how, value ->> 'query' AS query
            FROM pg_catalog.jsonb_array_elements(pg_catalog.current_setting('pgreconcile.canonical')::jsonb)
                 WITH ORDINALITY
            WHERE ordinality - 1 = ANY (pending)
        LOOP
            BEGIN
                PERFORM pg_catalog.set_config(
                    'search_path', pg_catalog.quote_ident(item.schema_name) || ', pg_catalog', true);
                IF item.how = 'view' THEN
                    EXECUTE pg_catalog.format('CREATE VIEW %I.%I AS %s', item.schema_name, item.name, item.query);
                ELSIF item.how = 'materialized view' THEN
                    EXECUTE pg_catalog.format(
                        'CREATE MATERIALIZED VIEW %I.%I AS %s' || chr(10) || 'WITH NO DATA',
                        item.schema_name, item.name, item.query);
                ELSE
                    EXECUTE pg_catalog.format(
                        'CREATE TEMPORARY VIEW %I AS %s', '{_PREFIX}' || item.position, item.query);
                END IF;
                pending := pg_catalog.array_remove(pending, item.position::integer);
                progress := true;
            EXCEPTION WHEN OTHERS THEN
                failed := failed || (item.position || ':' || SQLSTATE);
            END;
        END LOOP;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    PERFORM pg_catalog.set_config('pgreconcile.canonical_failed', pg_catalog.array_to_string(failed, ' '), true);
END
$canonical$
"""

_TEMP_SCHEMA = (
    "SELECT coalesce(pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::pg_catalog.text, ''),"
    " pg_catalog.current_setting('pgreconcile.canonical_failed')"
)

# read_only_sql_transaction, insufficient_privilege: the server takes no view at all.
_REFUSED = frozenset({"25006", "42501"})


@dataclass(frozen=True, slots=True)
class Declared:
    """One query to canonicalise: where its names resolve, and whether the view exists live
    (then it is read as a temporary view) or not (then it is created under its own name)."""

    schema: str
    name: str
    query: str
    kind: str = "view"  # or "materialized view"
    exists: bool = False


def canonical_parts(
    conn: psycopg.Connection[Any], items: Sequence[Declared]
) -> tuple[list[ViewParts | None], str | None]:
    """For each declared query, the server's reading of it (None when it could not be
    created), and a note when the server refused to create views altogether."""
    if not items:
        return [], None
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise ValueError("canonical_parts needs a connection with no open transaction")
    # A ';' could end the statement and start another: such a query is never sent.
    sendable = [i for i, item in enumerate(items) if ";" not in item.query]
    payload = json.dumps([
        {
            "schema": items[i].schema,
            "name": items[i].name,
            "how": "temporary" if items[i].exists else items[i].kind,
            "query": items[i].query,
        }
        for i in sendable
    ])
    found: list[ViewParts | None] = [None] * len(items)
    own_names = {(items[i].schema, items[i].name): i for i in sendable if not items[i].exists}
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
                temp_schema, failed_text = cur.fetchone() or ("", "")
                failures = dict(f.split(":", 1) for f in (failed_text or "").split())
                if failures and set(failures.values()) <= _REFUSED and len(failures) == len(sendable):
                    note = (
                        "the server refused to create views in a rolled-back transaction (read-only, or no "
                        "CREATE/TEMP privilege), so declared view queries are compared as written; views "
                        "may show as changed"
                    )
                schemas = sorted({temp_schema} - {""} | {schema for schema, _ in own_names})
                cur.execute(query_text("views"), {"managed": schemas})
                for row in cur.fetchall():
                    if row[1] == temp_schema and str(row[2]).startswith(_PREFIX):
                        found[sendable[int(str(row[2]).removeprefix(_PREFIX))]] = view_parts(row)
                    elif (row[1], row[2]) in own_names:
                        # Only what this transaction created: a live relation of that name (of
                        # another kind) is not the declared view.
                        i = own_names[(row[1], row[2])]
                        if str(sendable.index(i)) not in failures:
                            found[i] = view_parts(row)
            finally:
                # Always: nothing created here may survive or be seen by another session.
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


def compared_sides(conn: psycopg.Connection[Any], desired: Schema, live: Schema) -> tuple[Schema, Schema, str | None]:
    """Both sides as a plan compares them: ``desired`` canonicalized (below), ``live`` with the
    counters of the sequences whose range the declarations narrow (catalog/counters.py); and
    the note of a view that could not be canonicalized."""
    compared, note = canonicalize(conn, desired, live)
    return compared, with_counters(conn, compared, live), note


def canonicalize(conn: psycopg.Connection[Any], desired: Schema, live: Schema) -> tuple[Schema, str | None]:
    """``desired`` with each view query that differs from its live text replaced by the server's
    canonical form (with its output columns and what it reads), and each rule likewise
    (:mod:`pgreconcile.catalog.canonical_rules`); the rest untouched."""
    desired, note = _canonical_views(conn, desired, live)
    return canonical_rules(conn, desired, live), note


def _canonical_views(conn: psycopg.Connection[Any], desired: Schema, live: Schema) -> tuple[Schema, str | None]:
    todo = _candidates(desired, live)
    if not todo:
        return desired, None
    pools: dict[str, dict[tuple[str, str], Any]] = {
        "view": dict(desired.views),
        "materialized view": dict(desired.materialized_views),
    }
    live_pools: dict[str, dict[tuple[str, str], Any]] = {
        "view": live.views,
        "materialized view": live.materialized_views,
    }
    items = [
        Declared(key[0], key[1], strip_query(pools[kind][key].query), kind, key in live_pools[kind])
        for kind, key in todo
    ]
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
