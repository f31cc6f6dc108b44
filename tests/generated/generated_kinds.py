"""The kinds beyond tables for generated convergence: views, functions, triggers, sequences,
domains, composite types, partitions, grants, publications, extended statistics, rules and their
comments.

Each kind has a few variants (absent, and shapes people write and change into one another); A
draws one per kind and B keeps it or moves to any other, so every pair of variants — create,
change in place, replace, drop — is reachable. They hang off one table, ``log``, that every
generated schema has, so a kind never depends on the tables drawn for the main property; the
roles grants name are created on the server first (:data:`ROLES`).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

SCHEMA = "gen"
ROLES = ("pgr_gen_reader", "pgr_gen_writer")

LOG = {
    "columns": {
        "id": {"type": "bigint", "primary_key": True, "identity": "by default"},
        "body": {"type": "text", "nullable": False},
        "at": {"type": "timestamptz", "nullable": False, "default_sql": "now()"},
    },
}

TOUCH = {
    "returns": "trigger",
    "language": "plpgsql",
    "body": "BEGIN NEW.at := now(); RETURN NEW; END",
}

# kind → its variants; None is "not declared".
VARIANTS: dict[str, list[Any]] = {
    "sequence": [
        None,
        {"start": 10, "increment": 5},
        {"start": 10, "increment": 1, "comment": "counts things"},
        {"type": "integer", "increment": 2, "max_value": 100000, "cycle": True},
    ],
    "domain": [
        None,
        {"type": "integer", "checks": {"positive_check": "VALUE > 0"}},
        {"type": "integer", "checks": {"positive_check": "VALUE > 0"}, "default": 1, "comment": "above zero"},
        {"type": "bigint", "nullable": False, "checks": {"positive_check": "VALUE > 0"}},
    ],
    "composite": [
        None,
        {"fields": {"x": "integer", "y": "text"}},
        {"fields": {"x": "integer", "y": "text", "z": "boolean"}, "comment": "a pair"},
    ],
    "function": [
        None,
        {"returns": "integer", "language": "sql", "volatility": "immutable", "body": "SELECT n + 1"},
        {"returns": "integer", "language": "sql", "volatility": "immutable", "body": "SELECT n + 2",
         "comment": "adds two"},
    ],
    "trigger": [
        None,
        {"timing": "before", "events": ["insert", "update"], "for_each": "row", "function": "touch()"},
        {"timing": "before", "events": ["update"], "for_each": "row", "function": "touch()",
         "when": "OLD.body IS DISTINCT FROM NEW.body", "comment": "touch on change"},
    ],
    "view": [
        None,
        {"query": f"SELECT id, body FROM {SCHEMA}.log WHERE at > now() - interval '1 day'"},
        {"query": f"SELECT id, body, at FROM {SCHEMA}.log", "comment": "the whole log"},
        {"query": f"SELECT id, upper(body) AS shout FROM {SCHEMA}.log", "comment": "loud"},
    ],
    "partitions": [
        None,
        {"p2024a": {"from": "2024-01-01", "to": "2024-07-01"}},
        {"p2024a": {"from": "2024-01-01", "to": "2024-07-01"},
         "p2024b": {"from": "2024-07-01", "to": "2025-01-01", "comment": "second half"}},
        # A partition's own column defaults (and none where the table has one).
        {"p2024a": {"from": "2024-01-01", "to": "2024-07-01", "column_defaults": {"kind": {"default": "early"}}},
         "p2024b": {"from": "2024-07-01", "to": "2025-01-01", "column_defaults": {"kind": None}}},
    ],
    # The partitioned table's own default on the column the partitions may override.
    "events_default": [None, "plain", "other"],
    "grants": [
        None,
        {"pgr_gen_reader": ["select"]},
        {"pgr_gen_reader": ["select"], "pgr_gen_writer": ["select", "insert", "update"]},
    ],
    "publication": [
        None,
        {"tables": {f"{SCHEMA}.log": {}}},
        {"tables": {f"{SCHEMA}.log": {}}, "publish": ["insert", "update"], "comment": "log changes"},
    ],
    "log_comment": [None, "what happened", "what happened, in order"],
    "statistics": [
        None,
        {"columns": ["body", "at"]},
        {"columns": ["at", "body"], "kinds": ["ndistinct"], "target": 200, "comment": "body by time"},
        {"columns": ["at"], "expressions": ["lower(body)"]},
    ],
    "rule": [
        None,
        {"event": "delete", "instead": True},
        {"event": "delete", "instead": True, "where": "old.body = 'keep'", "comment": "keeps one"},
        {"event": "update", "instead": True, "where": "new.body = ''", "enabled": "replica"},
    ],
}


def kinds() -> st.SearchStrategy[dict[str, int]]:
    """A's choice: one variant index per kind."""
    return st.fixed_dictionaries({kind: st.integers(0, len(options) - 1) for kind, options in VARIANTS.items()})


@st.composite
def changed_kinds(draw: st.DrawFn, a: dict[str, int]) -> dict[str, int]:
    """B's choice: each kind kept (most often) or moved to any variant, absent included."""
    return {
        kind: index if draw(st.integers(0, 2)) > 0 else draw(st.integers(0, len(VARIANTS[kind]) - 1))
        for kind, index in a.items()
    }


def declare_kinds(chosen: dict[str, int], schema: dict[str, Any], document: dict[str, Any]) -> None:
    """Add the chosen variants to the schema ``schema`` of ``document`` (both YAML data)."""
    pick = {kind: copy.deepcopy(VARIANTS[kind][index]) for kind, index in chosen.items()}
    log: dict[str, Any] = copy.deepcopy(LOG)
    if pick["log_comment"]:
        log["comment"] = pick["log_comment"]
    if pick["grants"]:
        log["grants"] = pick["grants"]
    functions: dict[str, Any] = {}
    if pick["function"]:
        functions["add_one(n integer)"] = pick["function"]
    if pick["trigger"]:
        functions["touch()"] = TOUCH
        log["triggers"] = {"log_touch": pick["trigger"]}
    if pick["statistics"]:
        log["statistics"] = {"log_stats": pick["statistics"]}
    if pick["rule"]:
        log["rules"] = {"log_rule": pick["rule"]}
    schema.setdefault("tables", {})["log"] = log
    if pick["partitions"]:
        schema["tables"]["events"] = {
            "columns": {"id": "bigint", "at": {"type": "date", "nullable": False},
                        "kind": ({"type": "text", "default": pick["events_default"]}
                                 if pick["events_default"] else "text")},
            "primary_key": ["id", "at"],
            "partition_by": "range (at)",
            "partitions": pick["partitions"],
        }
    if functions:
        schema["functions"] = functions
    if pick["sequence"]:
        schema["sequences"] = {"counter": pick["sequence"]}
    if pick["domain"]:
        schema["domains"] = {"positive": pick["domain"]}
    if pick["composite"]:
        schema["types"] = {"pair": pick["composite"]}
    if pick["view"]:
        schema["views"] = {"recent": pick["view"]}
    if pick["publication"]:
        document["publications"] = {"gen_pub": pick["publication"]}


ROLES_SQL = "\n".join(
    f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;" for role in ROLES
)


def log_rows(count: int) -> list[str]:
    """INSERTs for ``log`` (and, when it exists, ``events``): rows every variant of B can hold."""
    return [f"INSERT INTO {SCHEMA}.log (body) VALUES ('entry {i}')" for i in range(count)]
