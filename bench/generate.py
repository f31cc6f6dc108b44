"""A realistic, deterministic schema of N tables for the benchmark, as SQL.

The shape follows what the issue asks for and what production schemas look like: uuid primary
keys, about twenty columns per table of varied types (text, varchar(n), integer, bigint,
numeric(p,s), boolean, timestamptz, jsonb, text[], enums), NOT NULLs and defaults (now(),
gen_random_uuid(), 'active'::text, 0, '{}'::jsonb), foreign keys to one or two earlier tables,
CHECK constraints, partial and DESC indexes, a unique constraint here and there, and comments on
tables and some columns, spread over three schemas.

Every table is drawn from its own random generator seeded with ``(seed, table number)``, so
table 17 is the same whether 2,000 or 4,000 tables are generated. That lets the benchmark grow
one database from 2,000 to 4,000 tables instead of loading 4,000 from scratch, and it makes
two runs with the same seed load byte-identical SQL.

Run it alone to see the SQL: ``python bench/generate.py --tables 20``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from pgreconcile.quoting import ident, literal, qualified

DEFAULT_SEED = 20_240_601

# Schemas and how many tables land in each (a main schema, a big second one, a small third).
SCHEMAS: tuple[str, ...] = ("app", "billing", "audit")
_SCHEMA_WEIGHTS = (5, 3, 2)

# (schema, enum name, labels in order, default label)
ENUMS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("app", "priority", ("low", "normal", "high", "urgent"), "normal"),
    ("app", "visibility", ("private", "team", "public"), "private"),
    ("billing", "currency", ("eur", "usd", "gbp", "jpy", "chf"), "eur"),
    ("billing", "payment_state", ("pending", "authorized", "paid", "failed", "refunded"), "pending"),
    ("audit", "severity", ("debug", "info", "warning", "error"), "info"),
)

_NOUNS = (
    "account", "invoice", "payment", "customer", "order", "shipment", "product", "supplier",
    "contract", "ticket", "project", "task", "document", "message", "session", "device",
    "location", "campaign", "coupon", "refund", "subscription", "plan", "team", "member",
    "review", "report", "event", "asset", "warehouse", "vendor",
)

# Column names by kind; a table draws several columns of the same kind with distinct names.
_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("title", "description", "notes", "label", "summary", "address_line", "city", "body"),
    "varchar": ("code", "slug", "email", "phone", "sku", "reference", "country_code", "locale"),
    "integer": ("quantity", "sort_order", "attempts", "score", "retries", "seats", "version_no"),
    "bigint": ("external_id", "byte_size", "sequence_no", "view_count", "legacy_id"),
    "numeric": ("amount", "price", "tax_rate", "balance", "weight_kg", "discount"),
    "boolean": ("is_active", "is_archived", "verified", "is_public", "is_locked"),
    "timestamptz": ("deleted_at", "published_at", "expires_at", "last_seen_at", "approved_at"),
    "jsonb": ("metadata", "settings", "payload", "attributes"),
    "text[]": ("tags", "aliases", "labels", "keywords"),
    "enum": ("kind",),  # the name comes from the enum itself, see _column()
}
_KIND_WEIGHTS: dict[str, int] = {
    "text": 14, "varchar": 12, "integer": 10, "bigint": 6, "numeric": 9, "boolean": 10,
    "timestamptz": 9, "jsonb": 6, "text[]": 5, "enum": 6,
}
_STATUSES = ("active", "inactive", "archived")


@dataclass(frozen=True, slots=True)
class TableId:
    """Where table number ``number`` lives: the only facts other tables need to reference it."""

    number: int
    schema: str
    name: str


@dataclass(frozen=True, slots=True)
class _Col:
    name: str
    kind: str
    sql_type: str
    not_null: bool
    default: str | None


def table_id(seed: int, number: int) -> TableId:
    """Schema and name of table ``number`` (a pure function of the seed and the number)."""
    rng = random.Random(f"{seed}:id:{number}")
    schema = rng.choices(SCHEMAS, weights=_SCHEMA_WEIGHTS)[0]
    return TableId(number, schema, f"{rng.choice(_NOUNS)}_{number:05d}")


def preamble_sql() -> str:
    """Schemas and enum types, which every table may use; run once, before any table."""
    lines = [f"CREATE SCHEMA IF NOT EXISTS {ident(s)};" for s in SCHEMAS]
    for schema, name, labels, _ in ENUMS:
        values = ", ".join(literal(v) for v in labels)
        lines.append(f"CREATE TYPE {qualified(schema, name)} AS ENUM ({values});")
    lines.append(f"COMMENT ON SCHEMA {ident('billing')} IS {literal('Invoices, payments and money.')};")
    return "\n".join(lines) + "\n"


def _column(rng: random.Random, kind: str, taken: set[str]) -> _Col:
    """One filler column of ``kind`` with a name not yet in ``taken``."""
    sql_type, not_null, default = kind, rng.random() < 0.4, None
    if kind == "enum":
        schema, enum, _, label = rng.choice(ENUMS)
        base, sql_type = enum, qualified(schema, enum)
        not_null = rng.random() < 0.7
        if not_null:
            default = f"{literal(label)}::{sql_type}"
    else:
        unused = [n for n in _NAMES[kind] if n not in taken]
        base = rng.choice(unused or _NAMES[kind])
        if kind == "varchar":
            sql_type = f"varchar({rng.choice((16, 32, 64, 255))})"
        elif kind == "numeric":
            precision = rng.choice((10, 12, 14, 18))
            sql_type = f"numeric({precision},{rng.choice((2, 2, 4))})"
        if kind in ("integer", "bigint", "numeric") and not_null:
            default = "0"
        elif kind == "boolean":
            not_null, default = True, "false"
        elif kind == "jsonb" and rng.random() < 0.7:
            not_null, default = True, "'{}'::jsonb"
        elif kind == "text[]" and rng.random() < 0.6:
            not_null, default = True, "'{}'::text[]"
        elif kind == "timestamptz":
            not_null = False  # the "happened at" columns that partial indexes love
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}_{suffix}", suffix + 1
    taken.add(name)
    return _Col(name, kind, sql_type, not_null, default)


def _column_sql(col: _Col) -> str:
    parts = [ident(col.name), col.sql_type]
    if col.not_null:
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    return " ".join(parts)


def table_sql(seed: int, number: int) -> str:
    """CREATE TABLE, its indexes and its comments for table ``number``.

    Foreign keys point only at tables with a smaller number, so running the tables in order
    always works, and so does running any contiguous range after the ones before it.
    """
    me = table_id(seed, number)
    rng = random.Random(f"{seed}:table:{number}")
    table = qualified(me.schema, me.name)
    taken = {"id", "created_at", "updated_at", "status"}
    cols: list[_Col] = [
        _Col("id", "uuid", "uuid", True, "gen_random_uuid()"),
    ]
    constraints: list[str] = []
    indexes: list[str] = []

    def constraint(suffix: str, body: str) -> str:
        return f"CONSTRAINT {ident(f'{me.name}_{suffix}')} {body}"

    comments: list[tuple[str, str]] = []

    # Foreign keys: one or two earlier tables, mostly recent ones (as schemas grow in clusters).
    refs: list[TableId] = []
    if number > 0:
        for _ in range(1 if number == 1 or rng.random() < 0.55 else 2):
            low = max(0, number - 200) if rng.random() < 0.8 else 0
            ref = table_id(seed, rng.randrange(low, number))
            if ref not in refs:
                refs.append(ref)
    for ref in refs:
        col = _Col(f"{ref.name}_id", "uuid", "uuid", rng.random() < 0.6, None)
        taken.add(col.name)
        cols.append(col)
        on_delete = rng.choice(("CASCADE", "RESTRICT", "NO ACTION") if col.not_null
                               else ("SET NULL", "CASCADE", "NO ACTION"))
        constraints.append(constraint(
            f"{col.name}_fkey",
            f"FOREIGN KEY ({ident(col.name)}) REFERENCES {qualified(ref.schema, ref.name)} (id) "
            f"ON DELETE {on_delete}",
        ))
        # Index every foreign key; a nullable one only where it is set (a partial index).
        where = "" if col.not_null else f" WHERE {ident(col.name)} IS NOT NULL"
        indexes.append(
            f"CREATE INDEX {ident(f'{me.name}_{col.name}_idx')} ON {table} ({ident(col.name)}){where};"
        )

    cols.append(_Col("created_at", "timestamptz", "timestamptz", True, "now()"))
    cols.append(_Col("updated_at", "timestamptz", "timestamptz", True, "now()"))
    cols.append(_Col("status", "text", "text", True, "'active'::text"))
    kinds = list(_KIND_WEIGHTS)
    weights = list(_KIND_WEIGHTS.values())
    width = rng.randint(16, 24)
    while len(cols) < width:
        cols.append(_column(rng, rng.choices(kinds, weights=weights)[0], taken))

    constraints.insert(0, constraint("pkey", "PRIMARY KEY (id)"))
    statuses = ", ".join(literal(s) for s in _STATUSES)
    constraints.append(constraint("status_check", f"CHECK (status IN ({statuses}))"))
    if rng.random() < 0.3:
        constraints.append(constraint("updated_after_created", "CHECK (updated_at >= created_at)"))
    for col in cols:
        name = ident(col.name)
        if col.kind == "numeric" and rng.random() < 0.6:
            constraints.append(constraint(f"{col.name}_check", f"CHECK ({name} >= 0)"))
        elif col.kind == "integer" and rng.random() < 0.3:
            constraints.append(constraint(f"{col.name}_check", f"CHECK ({name} BETWEEN 0 AND 1000000)"))
        elif col.kind == "varchar" and rng.random() < 0.3:
            constraints.append(constraint(f"{col.name}_check", f"CHECK (char_length({name}) > 0)"))

    # Unique constraints: on a code-like column, sometimes scoped by the first foreign key.
    candidates = [c for c in cols if c.kind == "varchar" and c.not_null]
    for col in candidates[: rng.choice((0, 0, 1, 1, 2))]:
        scope = [refs[0].name + "_id"] if refs and rng.random() < 0.4 else []
        key_cols = [*scope, col.name]
        constraints.append(constraint(f"{col.name}_key", f"UNIQUE ({', '.join(ident(c) for c in key_cols)})"))

    if rng.random() < 0.6:
        indexes.append(f"CREATE INDEX {ident(f'{me.name}_created_at_idx')} ON {table} (created_at DESC);")
    if rng.random() < 0.3:
        indexes.append(
            f"CREATE INDEX {ident(f'{me.name}_status_updated_idx')} ON {table} (status, updated_at DESC);"
        )
    for col in cols:
        if col.kind == "timestamptz" and col.name not in ("created_at", "updated_at") and rng.random() < 0.5:
            indexes.append(
                f"CREATE INDEX {ident(f'{me.name}_{col.name}_idx')} ON {table} ({ident(col.name)}) "
                f"WHERE {ident(col.name)} IS NOT NULL;"
            )
        elif col.kind == "jsonb" and rng.random() < 0.15:
            indexes.append(
                f"CREATE INDEX {ident(f'{me.name}_{col.name}_idx')} ON {table} USING gin ({ident(col.name)});"
            )

    if rng.random() < 0.85:
        noun = me.name.rsplit("_", 1)[0].replace("_", " ")
        owner = rng.choice(("the billing team", "support", "the platform team", "sales ops"))
        comments.append((f"TABLE {table}", f"Each row is one {noun}; owned by {owner}'s service."))
    for col in rng.sample(cols[1:], k=min(3, len(cols) - 1)):
        if rng.random() < 0.5:
            comments.append((f"COLUMN {table}.{ident(col.name)}", f"The {col.name.replace('_', ' ')}."))

    body = ",\n    ".join([*(_column_sql(c) for c in cols), *constraints])
    out = [f"CREATE TABLE {table} (\n    {body}\n);", *indexes]
    out.extend(f"COMMENT ON {target} IS {literal(text)};" for target, text in comments)
    return "\n".join(out) + "\n"


def tables_sql(seed: int, start: int, stop: int, batch: int = 200) -> Iterator[str]:
    """Tables ``start`` to ``stop - 1`` as scripts of at most ``batch`` tables each.

    Why batches: a script sent as one simple query runs as one transaction, and creating a
    table takes locks on it, its TOAST table and every index; thousands of tables in a single
    transaction overflow the lock table (max_locks_per_transaction x max_connections).
    """
    for first in range(start, stop, batch):
        yield "".join(table_sql(seed, n) for n in range(first, min(stop, first + batch)))


# The object kinds beyond tables (the coverage issues), added on top of the generated tables.
COVERAGE_VIEWS = 500
COVERAGE_FUNCTIONS = 300
COVERAGE_TRIGGERS = 1000
COVERAGE_PARTITIONED = 50
COVERAGE_PARTITIONS = 12
COVERAGE_SEQUENCES = 100
#: Roles the generated grants name. Roles belong to the server, not the database: created only
#: when missing, and never dropped (the benchmark's own server is deleted whole anyway).
COVERAGE_ROLES = ("bench_reader", "bench_writer")
_TRIGGER_FUNCTIONS = 100  # of COVERAGE_FUNCTIONS: trigger functions; the rest are SQL functions


def _roles_sql() -> str:
    lines = []
    for role in COVERAGE_ROLES:
        # DO: CREATE ROLE has no IF NOT EXISTS, and a shared server may have it already.
        lines.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"{literal(role)}) THEN CREATE ROLE {ident(role)} NOLOGIN; END IF; END $$;"
        )
    return "\n".join(lines) + "\n"


def coverage_sql(seed: int, tables: int) -> Iterator[str]:
    """The coverage kinds over the first ``tables`` generated tables, as scripts run in order:
    views (one per table over the first 450, plus 50 over other views), functions (trigger
    functions and SQL functions reading a table), triggers, grants on every table, partitioned
    tables with monthly partitions and standalone sequences. Needs ``tables`` ≥ 1; with fewer
    tables than views or triggers, tables are reused round-robin (each object still unique).
    """
    ids = [table_id(seed, n) for n in range(tables)]
    yield _roles_sql()
    out: list[str] = []
    base_views = COVERAGE_VIEWS - COVERAGE_VIEWS // 10
    views: list[tuple[str, str]] = []
    for n in range(base_views):
        me = ids[n % len(ids)]
        name = f"{me.name}_active_v{n // len(ids) or ''}"
        views.append((me.schema, name))
        sql = (
            f"CREATE VIEW {qualified(me.schema, name)} AS SELECT id, status, created_at, updated_at "
            f"FROM {qualified(me.schema, me.name)} WHERE status = 'active';"
        )
        out.append(sql)
        if n % 4 == 0:
            out.append(f"COMMENT ON VIEW {qualified(me.schema, name)} IS {literal(f'Active rows of {me.name}.')};")
    for n in range(COVERAGE_VIEWS - base_views):
        schema, over = views[n * 7 % len(views)]
        name = f"recent_{n:03d}_v"
        out.append(
            f"CREATE VIEW {qualified(schema, name)} AS SELECT id, status FROM {qualified(schema, over)} "
            "WHERE created_at > now() - interval '7 days';"
        )
    yield "\n".join(out) + "\n"

    out = []
    trigger_functions: list[str] = []
    for n in range(_TRIGGER_FUNCTIONS):
        schema = SCHEMAS[n % len(SCHEMAS)]
        name = f"touch_{n:03d}"
        trigger_functions.append(qualified(schema, name))
        out.append(
            f"CREATE FUNCTION {qualified(schema, name)}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
            f"BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$fn$;"
        )
    for n in range(COVERAGE_FUNCTIONS - _TRIGGER_FUNCTIONS):
        me = ids[n * 3 % len(ids)]
        name = f"count_{me.name}_{n:03d}"
        out.append(
            f"CREATE FUNCTION {qualified(me.schema, name)}(p_status text DEFAULT 'active') RETURNS bigint "
            f"LANGUAGE sql STABLE AS $fn$ SELECT count(*) FROM {qualified(me.schema, me.name)} "
            "WHERE status = p_status $fn$;"
        )
    for n in range(COVERAGE_TRIGGERS):
        me = ids[n % len(ids)]
        name = f"{me.name}_touch{n // len(ids) or ''}"
        out.append(
            f"CREATE TRIGGER {ident(name)} BEFORE UPDATE ON {qualified(me.schema, me.name)} FOR EACH ROW "
            f"EXECUTE FUNCTION {trigger_functions[n % len(trigger_functions)]}();"
        )
    yield "\n".join(out) + "\n"

    out = []
    reader, writer = (ident(r) for r in COVERAGE_ROLES)
    for number, me in enumerate(ids):
        table = qualified(me.schema, me.name)
        out.append(f"GRANT SELECT ON {table} TO {reader};")
        if number % 2 == 0:
            out.append(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {writer};")
    for schema in SCHEMAS:
        out.append(f"GRANT USAGE ON SCHEMA {ident(schema)} TO {reader}, {writer};")
    yield "\n".join(out) + "\n"

    out = []
    for n in range(COVERAGE_PARTITIONED):
        schema = SCHEMAS[n % len(SCHEMAS)]
        parent = qualified(schema, f"events_{n:02d}")
        out.append(
            f"CREATE TABLE {parent} (\n    id bigint NOT NULL,\n    at timestamptz NOT NULL,\n"
            f"    kind text NOT NULL DEFAULT 'info'::text,\n    payload jsonb,\n    PRIMARY KEY (id, at)\n"
            ") PARTITION BY RANGE (at);"
        )
        for month in range(COVERAGE_PARTITIONS):
            start, end = f"2026-{month + 1:02d}-01", (f"2026-{month + 2:02d}-01" if month < 11 else "2027-01-01")
            out.append(
                f"CREATE TABLE {qualified(schema, f'events_{n:02d}_m{month + 1:02d}')} PARTITION OF {parent} "
                f"FOR VALUES FROM ({literal(start)}) TO ({literal(end)});"
            )
    for n in range(COVERAGE_SEQUENCES):
        schema = SCHEMAS[n % len(SCHEMAS)]
        options = "" if n % 3 else f" START WITH {1000 * (n + 1)} INCREMENT BY {1 + n % 5}"
        out.append(f"CREATE SEQUENCE {qualified(schema, f'number_{n:03d}_seq')}{options};")
    yield "\n".join(out) + "\n"


def coverage_counts() -> dict[str, int]:
    """How many objects of each kind :func:`coverage_sql` makes (for the report)."""
    return {
        "views": COVERAGE_VIEWS,
        "functions": COVERAGE_FUNCTIONS,
        "triggers": COVERAGE_TRIGGERS,
        "partitioned tables": COVERAGE_PARTITIONED,
        "partitions": COVERAGE_PARTITIONED * COVERAGE_PARTITIONS,
        "sequences": COVERAGE_SEQUENCES,
    }


def generate_sql(tables: int, seed: int = DEFAULT_SEED, coverage: bool = False) -> str:
    """The whole schema of ``tables`` tables as one SQL script (preamble first), with the
    coverage kinds after the tables when ``coverage``."""
    extra = "".join(coverage_sql(seed, tables)) if coverage and tables else ""
    return preamble_sql() + "".join(tables_sql(seed, 0, tables)) + extra


def main(argv: list[str] | None = None) -> int:
    """Print the generated SQL, e.g. to look at it or load it with psql."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tables", type=int, default=20, help="number of tables (default: 20)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: %(default)s)")
    parser.add_argument("--coverage", action="store_true",
                        help="add views, functions, triggers, grants, partitions and sequences")
    args = parser.parse_args(argv)
    sys.stdout.write(generate_sql(args.tables, args.seed, args.coverage))
    return 0


if __name__ == "__main__":
    sys.exit(main())
