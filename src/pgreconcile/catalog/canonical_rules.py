"""The server's canonical form of declared rules, the way :mod:`pgreconcile.catalog.canonical`
gets that of declared views: in one transaction on the target that is always rolled back.

A rule's condition and actions read NEW and OLD, so they only mean something on their table.
Creating the declared rule on the live table would lock it (CREATE RULE takes ACCESS EXCLUSIVE),
so each is created on a *temporary* copy of its table's columns (``CREATE TEMPORARY TABLE …
(LIKE …)``), with ``search_path`` set to the rule's schema as apply will have it, and read back
with ``queries/rules.sql``: ``pg_get_ruledef()`` prints the condition and the actions with every
name qualified, which is what the live side holds. Only rules whose text differs from the live
one's, on tables that exist live, are sent; the cost is fixed (one parameter, one ``DO`` block,
one query). A rule that cannot be created (it names something only the plan creates, or it is
wrong) keeps its text and is simply seen as changed. Nothing survives: temporary, uncommitted,
rolled back even after an error; the locks taken are those of reading the tables the actions
name (ROW EXCLUSIVE on a table they write to, until the rollback).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from pgreconcile.catalog.build_rules import rule_from_row
from pgreconcile.catalog.reader import _SEARCH_PATH, _TUNING, query_text
from pgreconcile.model.keys import column_key, table_key
from pgreconcile.model.rules import Rule
from pgreconcile.model.schema import Schema
from pgreconcile.normalize.rule_text import actions_sql, sendable

_PREFIX = "pgreconcile_rule_"

_CREATE = f"""
DO $canonical$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT ordinality - 1 AS position, value ->> 'schema' AS schema_name, value ->> 'table' AS table_name,
               value ->> 'name' AS name, value ->> 'event' AS event, (value ->> 'instead')::boolean AS instead,
               value ->> 'where' AS condition, value ->> 'actions' AS actions
        FROM pg_catalog.jsonb_array_elements(pg_catalog.current_setting('pgreconcile.canonical_rules')::jsonb)
             WITH ORDINALITY
    LOOP
        BEGIN
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
            EXECUTE pg_catalog.format('CREATE TEMPORARY TABLE %I (LIKE %I.%I)',
                                      '{_PREFIX}' || item.position, item.schema_name, item.table_name);
            PERFORM pg_catalog.set_config(
                'search_path', pg_catalog.quote_ident(item.schema_name) || ', pg_catalog, pg_temp', true);
            EXECUTE pg_catalog.format('CREATE RULE %I AS ON %s TO pg_temp.%I %s DO %s %s',
                                      item.name, item.event, '{_PREFIX}' || item.position,
                                      CASE WHEN item.condition IS NULL THEN '' ELSE 'WHERE ' || item.condition END,
                                      CASE WHEN item.instead THEN 'INSTEAD' ELSE 'ALSO' END, item.actions);
        EXCEPTION WHEN OTHERS THEN
            NULL;  -- kept as written: seen as changed
        END;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
END
$canonical$
"""

_TEMP_SCHEMA = "SELECT coalesce(pg_catalog.pg_my_temp_schema()::pg_catalog.regnamespace::pg_catalog.text, '')"


def _candidates(desired: Schema, live: Schema) -> list[tuple[str, str, str]]:
    """Keys of the declared rules, on live tables, whose text is not the live rule's."""
    out = []
    for key, rule in desired.rules.items():
        if (rule.schema, rule.table) not in live.tables:
            continue
        current = live.rules.get(key) or (
            live.rules.get((rule.schema, rule.table, rule.renamed_from)) if rule.renamed_from else None
        )
        if current is not None and (current.where, current.actions) == (rule.where, rule.actions):
            continue
        if sendable(rule.where) and all(sendable(a) for a in rule.actions):
            out.append(key)
    return out


def _real_keys(reads: frozenset[str], temp: str, rule: Rule) -> frozenset[str]:
    """What a rule created on a temporary copy reads, with the copy's keys put back on its table."""
    out = set()
    for key in reads:
        kind, _, rest = key.partition(":")
        if rest.startswith(f"{temp}.{_PREFIX}"):
            _, _, column = rest[len(temp) + 1 :].partition(".")
            real = table_key(rule.schema, rule.table)
            out.add(column_key(rule.schema, rule.table, column) if kind == "column" else real)
            continue
        out.add(key)
    return frozenset(out)


def canonical_rules(conn: psycopg.Connection[Any], desired: Schema, live: Schema) -> Schema:
    """``desired`` with each rule whose text differs from the live one replaced by the server's
    canonical form (and what it reads); the rest untouched."""
    todo = _candidates(desired, live)
    if not todo:
        return desired
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise ValueError("canonical_rules needs a connection with no open transaction")
    payload = json.dumps([
        {
            "schema": r.schema, "table": r.table, "name": r.name, "event": r.event.upper(), "instead": r.instead,
            "where": r.where, "actions": actions_sql(r.actions),
        }
        for r in (desired.rules[key] for key in todo)
    ])
    found: dict[int, Rule] = {}
    was_autocommit = conn.autocommit
    conn.autocommit = True
    try:
        with conn.cursor(row_factory=tuple_row) as cur:
            cur.execute("BEGIN")
            try:
                for setting in (_SEARCH_PATH, *_TUNING, "SET LOCAL standard_conforming_strings = on"):
                    cur.execute(setting)
                cur.execute("SELECT pg_catalog.set_config('pgreconcile.canonical_rules', %s, true)", (payload,))
                cur.execute(_CREATE)
                cur.execute(_TEMP_SCHEMA)
                temp = (cur.fetchone() or ("",))[0]
                if temp:
                    cur.execute(query_text("rules"), {"managed": [temp]})
                    for row in cur.fetchall():
                        if str(row[1]).startswith(_PREFIX):
                            made = rule_from_row(row)
                            if made is not None:
                                found[int(str(row[1]).removeprefix(_PREFIX))] = made
            finally:
                # Always: nothing created here may survive or be seen by another session.
                if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
                    cur.execute("ROLLBACK")
    finally:
        if not conn.closed:
            conn.autocommit = was_autocommit
    if not found:
        return desired
    rules = dict(desired.rules)
    for position, made in found.items():
        key = todo[position]
        rule = rules[key]
        rules[key] = dataclasses.replace(
            rule, where=made.where, actions=made.actions, canonical=True,
            written=(rule.where, rule.actions), reads=_real_keys(made.reads, temp, rule),
        )
    return dataclasses.replace(desired, rules=rules)
