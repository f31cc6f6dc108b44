"""Generated convergence: random schema pairs A → B, each proven on a real PostgreSQL.

Hypothesis draws a schema A (tables with columns of many built-in types, defaults, identity and
uuid keys, foreign keys, checks, plain / DESC / partial / unique indexes, an enum, comments, RLS
with a policy) and a schema B made from A by the changes people make (columns added, dropped,
widened, made NOT NULL, defaults and comments changed, indexes and checks added or dropped,
tables added or dropped, enum labels appended). Beside them, each of the other kinds — views,
functions, triggers, sequences, domains, composite types, partitions, grants to existing roles,
publications, extended statistics, rules, comments — is drawn from a few variants and kept, changed, added or dropped
(generated_kinds.py). For each pair:

1. A is built from its declaration through pgreconcile itself (plan into an empty database,
   apply, plan again → no changes) and filled with rows that B can hold;
2. B is planned, applied (with --allow-destroy: dropping is part of what is generated), the
   catalog is read back and compared with B object by object, and planning again shows no
   changes;
3. every row of a table kept from A to B is still there, with the same values in every column
   kept, read as text.

Deterministic in CI (``derandomize``: the same examples every run). ``make fuzz`` runs the same
property with random seeds for as long as asked (``RECONCILE_FUZZ_EXAMPLES``); a failure it
finds is printed shrunk, as the YAML of A and B, ready to become a golden case.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
import yaml
from generated_kinds import ROLES_SQL, changed_kinds, declare_kinds, kinds, log_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgreconcile.apply.runner import apply_plan
from pgreconcile.catalog.canonical import canonicalize
from pgreconcile.catalog.reader import read_schema
from pgreconcile.declare import load_files
from pgreconcile.localpg import LocalServer, create_database, drop_database
from pgreconcile.model import Schema
from pgreconcile.plan import make_plan
from pgreconcile.probe import DataProber
from pgreconcile.quoting import ident, literal
from pgreconcile.render import render_text
from test_cases import _assert_matches_declaration

FUZZING = "RECONCILE_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("RECONCILE_FUZZ_EXAMPLES", "150"))
SCHEMA = "gen"

# Declared type → a function from a row number to an SQL literal of that type. Every value is
# non-null and distinct per row, so NOT NULL, UNIQUE and `> 0` checks added by B always hold.
VALUES: dict[str, Any] = {
    "smallint": lambda i: str(i + 1),
    "integer": lambda i: str(100 + i),
    "bigint": lambda i: str(10_000_000_000 + i),
    "numeric(10,2)": lambda i: f"{i + 1}.25",
    "text": lambda i: literal(f"text {i}"),
    "varchar(20)": lambda i: literal(f"v{i}"),
    "boolean": lambda i: "true" if i % 2 else "false",
    "date": lambda i: literal(f"2024-01-{i + 1:02d}"),
    "timestamptz": lambda i: literal(f"2024-01-{i + 1:02d} 10:00:00+00"),
    "uuid": lambda i: literal(str(uuid.UUID(int=i + 1))),
    "jsonb": lambda i: literal(f'{{"n": {i}}}'),
    "text[]": lambda i: literal(f"{{a{i},b}}"),
    "mood": lambda i: literal(("happy", "sad", "ok")[i % 3]),
}
# Defaults a column may declare (literal values, quoted by pgreconcile).
DEFAULTS: dict[str, list[Any]] = {
    "smallint": [0, 7], "integer": [0, 42], "bigint": [1], "numeric(10,2)": ["1.50"],
    "text": ["none", ""], "varchar(20)": ["n/a"], "boolean": [True, False], "date": ["2020-01-01"],
    "uuid": ["00000000-0000-0000-0000-000000000000"], "mood": ["ok"],
}
# Type changes whose built-in conversion keeps every value (A's type → B's choices).
WIDER: dict[str, list[str]] = {
    "smallint": ["integer", "bigint"],
    "integer": ["bigint", "numeric(10,2)"],
    "varchar(20)": ["text", "varchar(40)"],
}
VALUES["varchar(40)"] = VALUES["varchar(20)"]
NUMERIC = {"smallint", "integer", "bigint", "numeric(10,2)"}
ROWS = 3


@dataclass
class Col:
    type: str
    nullable: bool = True
    default: Any = None
    comment: str | None = None


@dataclass
class Tbl:
    key: str  # "uuid" (gen_random_uuid()) or "identity" (bigint identity)
    columns: dict[str, Col] = field(default_factory=dict)
    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    parent: str | None = None  # a foreign key column `parent_id` → that table's id
    rls: bool = False
    comment: str | None = None


@dataclass
class Db:
    tables: dict[str, Tbl]
    moods: list[str] = field(default_factory=lambda: ["happy", "sad", "ok"])
    kinds: dict[str, int] = field(default_factory=dict)  # generated_kinds.VARIANTS index per kind


# --- strategies -------------------------------------------------------------------------------

base_types = st.sampled_from(sorted(VALUES.keys() - {"varchar(40)"}))


@st.composite
def columns(draw: st.DrawFn) -> Col:
    kind = draw(base_types)
    default = draw(st.one_of(st.none(), st.sampled_from(DEFAULTS[kind]))) if kind in DEFAULTS else None
    return Col(
        type=kind,
        nullable=draw(st.booleans()),
        default=default,
        comment=draw(st.one_of(st.none(), st.sampled_from(["a note", "it's quoted"]))),
    )


@st.composite
def tables(draw: st.DrawFn, name: str, earlier: list[str]) -> Tbl:
    cols = draw(st.dictionaries(st.sampled_from([f"c{i}" for i in range(6)]), columns(), min_size=1, max_size=4))
    table = Tbl(key=draw(st.sampled_from(["uuid", "identity"])), columns=dict(sorted(cols.items())))
    for col_name, col in table.columns.items():
        shape = draw(st.sampled_from(["none", "none", "plain", "desc", "partial", "unique"]))
        if shape == "none" or (col.type in {"jsonb", "text[]"} and shape != "plain"):
            continue
        if shape == "unique" and col.type in {"boolean", "mood"}:
            continue  # three rows cannot hold distinct values of these
        index: dict[str, Any] = {"columns": [f"{col_name} DESC" if shape == "desc" else col_name]}
        if shape == "partial":
            index["where"] = f"{col_name} IS NOT NULL"
        if shape == "unique":
            index["unique"] = True
        if col.type in {"jsonb", "text[]"}:
            index["method"] = "gin"
        table.indexes[f"{name}_{col_name}_idx"] = index
        if col.type in NUMERIC and draw(st.booleans()):
            table.checks[f"{name}_{col_name}_positive"] = f"{col_name} > 0"
    if earlier and draw(st.booleans()):
        table.parent = draw(st.sampled_from(earlier))
    table.rls = draw(st.booleans())
    table.comment = draw(st.one_of(st.none(), st.just("generated")))
    return table


@st.composite
def databases(draw: st.DrawFn) -> Db:
    names = [f"t{i}" for i in range(draw(st.integers(1, 3)))]
    built: dict[str, Tbl] = {}
    for name in names:
        built[name] = draw(tables(name, list(built)))
    return Db(built, kinds=draw(kinds()))


@st.composite
def changed(draw: st.DrawFn, a: Db) -> Db:
    """B: A with the changes people make, each drawn independently."""
    tables_b: dict[str, Tbl] = {}
    referenced = {t.parent for t in a.tables.values() if t.parent}
    for name, old in a.tables.items():
        if name not in referenced and len(a.tables) > 1 and draw(st.integers(0, 5)) == 0:
            continue  # dropped (its rows are lost: a destroy the test allows)
        new = Tbl(key=old.key, parent=old.parent, rls=old.rls, comment=old.comment)
        for col_name, col in old.columns.items():
            roll = draw(st.integers(0, 9))
            if roll == 0:
                continue  # column dropped
            col = Col(col.type, col.nullable, col.default, col.comment)
            if roll == 1:
                col.nullable = False  # every generated row has a value
            elif roll == 2 and col.type in WIDER:
                col.type = draw(st.sampled_from(WIDER[col.type]))
                if col.default is not None and col.type not in DEFAULTS:
                    col.default = None
            elif roll == 3 and col.type in DEFAULTS:
                col.default = draw(st.one_of(st.none(), st.sampled_from(DEFAULTS[col.type])))
            elif roll == 4:
                col.comment = draw(st.one_of(st.none(), st.just("changed note")))
            new.columns[col_name] = col
        kept = set(new.columns)
        new.indexes = {
            index_name: index
            for index_name, index in old.indexes.items()
            if _index_column(index) in kept and draw(st.integers(0, 4)) > 0
        }
        new.checks = {
            check_name: check
            for check_name, check in old.checks.items()
            if check.split()[0] in kept and new.columns[check.split()[0]].type in NUMERIC and draw(st.booleans())
        }
        if draw(st.integers(0, 3)) == 0:
            added = draw(columns())
            if not added.nullable and added.default is None:
                added.nullable = True  # existing rows need a value: B must be able to hold them
            new.columns["added"] = added
        if draw(st.integers(0, 4)) == 0:
            new.rls = not new.rls
        if draw(st.integers(0, 4)) == 0:
            new.comment = None if new.comment else "changed"
        for col_name, col in new.columns.items():
            if col_name not in old.columns or col_name in {c.split()[0] for c in old.checks.values()}:
                continue
            if col.type in NUMERIC and draw(st.integers(0, 5)) == 0:
                new.checks[f"{name}_{col_name}_positive"] = f"{col_name} > 0"
        tables_b[name] = new
    if draw(st.integers(0, 3)) == 0:
        tables_b["t9"] = draw(tables("t9", sorted(tables_b)))
    moods = list(a.moods) + (["meh"] if draw(st.booleans()) else [])
    return Db(tables_b, moods, draw(changed_kinds(a.kinds)))


def _index_column(index: dict[str, Any]) -> str:
    return str(index["columns"][0]).split()[0]


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Db, Db]:
    a = draw(databases())
    return a, draw(changed(a))


# --- declarations and data --------------------------------------------------------------------


def declaration(db: Db) -> dict[str, Any]:
    """The YAML document declaring ``db``."""
    tables_yaml: dict[str, Any] = {}
    for name, table in db.tables.items():
        cols: dict[str, Any] = {}
        if table.key == "uuid":
            cols["id"] = {"type": "uuid", "primary_key": True, "default_sql": "gen_random_uuid()"}
        else:
            cols["id"] = {"type": "bigint", "primary_key": True, "identity": "by default"}
        if table.parent:
            parent = db.tables[table.parent]
            cols["parent_id"] = {
                "type": "uuid" if parent.key == "uuid" else "bigint",
                "references": {"table": f"{SCHEMA}.{table.parent}", "column": "id", "on_delete": "cascade"},
            }
        for col_name, col in table.columns.items():
            spec: dict[str, Any] = {"type": f"{SCHEMA}.mood" if col.type == "mood" else col.type}
            if not col.nullable:
                spec["nullable"] = False
            if col.default is not None:
                spec["default"] = col.default
            if col.comment:
                spec["comment"] = col.comment
            cols[col_name] = spec
        body: dict[str, Any] = {"columns": cols}
        if table.comment:
            body["comment"] = table.comment
        if table.indexes:
            body["indexes"] = table.indexes
        if table.checks:
            body["checks"] = table.checks
        if table.rls:
            body["rls"] = {"enabled": True}
            body["policies"] = {f"{name}_read": {"command": "select", "using": "true"}}
        tables_yaml[name] = body
    schema: dict[str, Any] = {"enums": {"mood": list(db.moods)}, "tables": tables_yaml}
    document: dict[str, Any] = {"version": 1, "schemas": {SCHEMA: schema}}
    declare_kinds(db.kinds, schema, document)
    return document


def _load(db: Db, directory: Any, stem: str) -> Schema:
    path = directory / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(declaration(db), sort_keys=False))
    return load_files([path])


def _converge(url: str, declared: Schema, label: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        live = read_schema(conn, declared.managed)
        # View queries in the server's own spelling, as `reconcile plan` compares them.
        desired, _ = canonicalize(conn, declared, live)
        # Probed, as `reconcile plan` does: the data facts decide refusals too.
        plan = make_plan(desired, live, source=label, target="the generated database", probe=DataProber(conn))
        assert not plan.refusals, f"{label}: plan refused:\n" + render_text(plan)
        apply_plan(conn, plan, allow_destroy=True)
        after = read_schema(conn, declared.managed)
        desired, _ = canonicalize(conn, declared, after)
    _assert_matches_declaration(desired, after)
    again = make_plan(desired, after, source=label, target="the generated database")
    assert not again.has_changes, f"{label}: planning again after apply shows changes:\n" + render_text(again)


def _fill(url: str, db: Db) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for insert in log_rows(ROWS):
            conn.execute(insert)
        for name, table in db.tables.items():  # parents first: tables are drawn in that order
            names = list(table.columns)
            for i in range(ROWS):
                cols, values = list(names), [VALUES[table.columns[c].type](i) for c in names]
                if table.parent:
                    cols.append("parent_id")
                    values.append(f"(SELECT id FROM {SCHEMA}.{ident(table.parent)} ORDER BY id LIMIT 1 OFFSET {i})")
                conn.execute(
                    f"INSERT INTO {SCHEMA}.{ident(name)} ({', '.join(ident(c) for c in cols)}) "  # test data only
                    f"VALUES ({', '.join(values)})"
                )


def _rows(url: str, a: Db, b: Db) -> dict[str, list[tuple[Any, ...]]]:
    """For each table in both A and B: its rows, as text, in the columns both declare."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with psycopg.connect(url) as conn:
        for name in sorted(a.tables.keys() & b.tables.keys()):
            kept = ["id", *sorted(a.tables[name].columns.keys() & b.tables[name].columns.keys())]
            # Text of the value as A's type prints it, so a widened column compares equal
            # (integer 100 and bigint 100 print alike; numeric keeps its scale).
            select = ", ".join(f"{ident(c)}::text" for c in kept)
            found[name] = conn.execute(f"SELECT {select} FROM {SCHEMA}.{ident(name)} ORDER BY 1").fetchall()
        # `log`, under the other kinds, is in every schema.
        found["log"] = conn.execute(f"SELECT id::text, body FROM {SCHEMA}.log ORDER BY id").fetchall()
    return found


def _widened_text_same(a: Db, b: Db) -> set[tuple[str, str]]:
    """Columns whose text form may change with the type (integer → numeric(10,2) adds '.00')."""
    return {
        (name, col)
        for name in a.tables.keys() & b.tables.keys()
        for col in a.tables[name].columns.keys() & b.tables[name].columns.keys()
        if (a.tables[name].columns[col].type, b.tables[name].columns[col].type) == ("integer", "numeric(10,2)")
    }


@pytest.mark.db
@settings(
    max_examples=EXAMPLES,
    derandomize=not FUZZING,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
@given(pair=pairs())
def test_any_generated_change_converges_and_keeps_rows(
    pg_server: LocalServer, tmp_path_factory: Any, pair: Any
) -> None:
    a, b = pair
    directory = tmp_path_factory.mktemp("generated")
    name = f"pgr_gen_{uuid.uuid4().hex[:12]}"
    url = create_database(pg_server.url, name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(ROLES_SQL)  # grants name roles that exist (roles belong to the server)
        _converge(url, _load(a, directory, "a"), "A")
        _fill(url, a)
        before = _rows(url, a, b)
        _converge(url, _load(b, directory, "b"), "B")
        after = _rows(url, a, b)
        assert before.keys() == after.keys()
        numeric_now = _widened_text_same(a, b)
        assert after.pop("log") == before.pop("log"), "log: rows changed"
        for table, rows in before.items():
            assert len(after[table]) == len(rows), f"{table}: rows lost"
            kept = ["id", *sorted(a.tables[table].columns.keys() & b.tables[table].columns.keys())]
            for old, new in zip(rows, after[table], strict=True):
                for col, was, now in zip(kept, old, new, strict=True):
                    if (table, col) in numeric_now:
                        assert float(was) == float(now), f"{table}.{col}"
                    else:
                        assert was == now, f"{table}.{col}: {was!r} became {now!r}"
    except BaseException:
        print("A:\n" + yaml.safe_dump(declaration(a), sort_keys=False))
        print("B:\n" + yaml.safe_dump(declaration(b), sort_keys=False))
        raise
    finally:
        drop_database(pg_server.url, name)
